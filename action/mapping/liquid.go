package mapping

func renderLiquid(tpl string, payload value) (string, error) {
	return "", unsupported("@liquid is not supported yet")
}
