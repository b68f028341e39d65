// Command cairn-ferretdb runs FerretDB v1.24 (a MongoDB-compatible server) with its SQLite
// backend, for Cairn's local default and its tests.
//
// The published module's own cmd/ferretdb panics at start-up because build/version/version.txt
// is missing from it (FerretDB issue 2982); the embeddable package below does not need it.
// Once the listener is up it prints one line, "ready <mongodb uri>", on stdout, which is what
// the Node scripts wait for. It stops cleanly on SIGINT and SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (port 0 picks a free port)")
	dir := flag.String("dir", "", "directory for the SQLite files, one per database (required)")
	logLevel := flag.String("log-level", "error", "debug, info, warn or error")
	flag.Parse()

	level := slog.LevelWarn
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail("bad -log-level %q: %v", *logLevel, err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// No in-memory mode: with SQLite's shared in-memory database, an update that follows a read of
	// the same document never returns (seen with FerretDB 1.24.2; docs/ferretdb.md). Tests use a
	// temporary directory instead.
	if *dir == "" {
		fail("-dir is required")
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		fail("bad -dir %q: %v", *dir, err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		fail("cannot create -dir %q: %v", abs, err)
	}
	// FerretDB wants a file: URI of an existing directory ending with a slash. SQLite lets one
	// writer in at a time; FerretDB's default busy timeout (10 s) is short for several
	// aggregator processes and the LRS writing at once on a loaded machine, where a write that
	// waited longer failed with "database is locked" (SQLITE_BUSY). Waiting longer is what a
	// client of a real MongoDB would see as a slow write, not an error.
	sqliteURL := "file:" + strings.TrimSuffix(abs, "/") + "/?_pragma=busy_timeout(60000)"

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		fail("cannot start FerretDB on %s: %v", *listen, err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := f.Run(ctx); err != nil {
			logger.Error("FerretDB stopped", "error", err)
		}
	}()

	// MongoDBURI waits for the listener, so "ready" is printed only once connections are accepted.
	fmt.Printf("ready %s\n", f.MongoDBURI())

	<-done
	// Give the backend a moment to flush before the process exits.
	time.Sleep(10 * time.Millisecond)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "cairn-ferretdb: "+format+"\n", args...)
	os.Exit(2)
}
