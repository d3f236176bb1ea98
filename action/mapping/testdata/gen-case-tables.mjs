// Dumps JavaScript's (V8/ICU) case mappings and the Cased /
// Case_Ignorable properties used by String.prototype.toLowerCase's final
// sigma rule. Run from the repo root:
//   node action/mapping/testdata/gen-case-tables.mjs
// then: go run action/mapping/gen_case_tables.go
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const upper = [];
const lower = [];
const ranges = (re) => {
  const out = [];
  let start = -1;
  for (let c = 0; c <= 0x110000; c++) {
    const inside = c < 0x110000 && re.test(String.fromCodePoint(c));
    if (inside && start < 0) start = c;
    if (!inside && start >= 0) { out.push([start, c - 1]); start = -1; }
  }
  return out;
};
for (let c = 0; c < 0x110000; c++) {
  if (c >= 0xd800 && c <= 0xdfff) continue;
  const s = String.fromCodePoint(c);
  const u = s.toUpperCase();
  const l = s.toLowerCase();
  if (u !== s) upper.push([c, [...u].map((x) => x.codePointAt(0))]);
  if (l !== s) lower.push([c, [...l].map((x) => x.codePointAt(0))]);
}
const out = {
  node: process.versions.node,
  unicode: process.versions.unicode,
  upper,
  lower,
  cased: ranges(/^\p{Cased}$/u),
  caseIgnorable: ranges(/^\p{Case_Ignorable}$/u),
};
writeFileSync(join(here, 'jscase.json'), JSON.stringify(out));
console.log(`upper ${upper.length} lower ${lower.length} cased ${out.cased.length} ci ${out.caseIgnorable.length}`);
