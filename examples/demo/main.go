// Command demo serves the example sites, a fake Segment CDN and the Rupt API
// simulator on one loopback address, using the bundle built into dist/.
//
//	go run ./examples/demo [-addr 127.0.0.1] [-port 8080] [-real-api]
//
// With -real-api (and RUPT_CLIENT_ID set to a real client id) the example
// sites talk to Rupt's real API instead of the simulator.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"rupt-actions-wasm/examples/server"
)

func main() {
	addr := flag.String("addr", "127.0.0.1", "address to listen on (loopback by default)")
	port := flag.Int("port", 8080, "port to listen on")
	root := flag.String("root", ".", "repository root (holds dist/, node_modules/, examples/site/)")
	realAPI := flag.Bool("real-api", false, "point the example sites at Rupt's real API (needs RUPT_CLIENT_ID)")
	flag.Parse()
	clientID := ""
	if *realAPI {
		clientID = os.Getenv("RUPT_CLIENT_ID")
		if clientID == "" {
			fmt.Fprintln(os.Stderr, "demo: -real-api needs RUPT_CLIENT_ID set to your Rupt client id (from the Rupt dashboard)")
			os.Exit(2)
		}
	}

	cfg := server.Config{
		DistDir:      filepath.Join(*root, "dist"),
		AnalyticsDir: filepath.Join(*root, "node_modules", "@segment", "analytics-next", "dist", "umd"),
		SiteDir:      filepath.Join(*root, "examples", "site"),
		ClientID:     clientID,
		RealAPI:      *realAPI,
	}
	for _, p := range []string{filepath.Join(cfg.DistDir, "rupt-actions.wasm"), filepath.Join(cfg.AnalyticsDir, "standalone.js")} {
		if _, err := os.Stat(p); err != nil {
			log.Fatalf("demo: %s is missing: run ./build.sh build first", p)
		}
	}
	srv := server.New(cfg)
	hostPort := net.JoinHostPort(*addr, strconv.Itoa(*port))
	ln, err := net.Listen("tcp", hostPort)
	if err != nil {
		fmt.Fprintf(os.Stderr, "demo: cannot listen on %s: %v\n(is another demo running? try --port %d)\n", hostPort, err, *port+1)
		os.Exit(1)
	}
	base := "http://" + ln.Addr().String()
	fmt.Printf("Rupt (Actions) demo on %s\n", base)
	fmt.Printf("  examples:            %s/site/\n", base)
	fmt.Printf("  Segment remote path: %s/site/remote.html\n", base)
	if *realAPI {
		fmt.Printf("  Rupt API:            https://api.rupt.dev (client id %s)\n", clientID)
	} else {
		fmt.Printf("  Rupt API simulator:  %s/rupt/v2/device/attach\n", base)
		fmt.Printf("  simulator admin:     %s/admin/\n", base)
	}
	fmt.Println("Attach requests are logged below. Ctrl-C stops.")
	go logAttaches(context.Background(), os.Stdout, srv.Rupt)
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// logAttaches writes a line to w for each attach the simulator receives,
// without PII, until ctx ends. It follows the attaches by sequence number,
// so a Reset of the simulator (which empties its log) loses nothing new.
func logAttaches(ctx context.Context, w io.Writer, r *server.Rupt) {
	last := 0
	for {
		recs, changed := r.AttachesAfter(last)
		for _, a := range recs {
			user, _ := a.Body["user"].(string)
			page, _ := a.Body["page"].(string)
			fmt.Fprintf(w, "%s attach user=%q page=%q status=%d\n", a.Time.Format("15:04:05"), user, page, a.Status)
			last = a.Seq
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return
		}
	}
}
