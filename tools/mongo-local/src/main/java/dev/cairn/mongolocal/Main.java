package dev.cairn.mongolocal;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.File;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVStore;

/**
 * Starts mongo-java-server for Cairn's local runs and tests.
 *
 * <pre>
 * java -jar cairn-mongo-local.jar [--host 127.0.0.1] [--port 0] [--file PATH] [--cache-mb 256]
 *                                 [--compact-fill-rate 60]
 * </pre>
 *
 * Without --file the data lives in memory and goes with the process (tests). With --file it lives
 * in one MVStore file, and every acknowledged write is committed and synced first. Once it
 * listens, the launcher prints one line, {@code ready mongodb://HOST:PORT/}, which is what
 * scripts/lib/mongo-local.mjs waits for.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("cairn-mongo-local: " + e.getMessage());
      System.exit(2);
      return;
    }

    MongoBackend backend;
    MVStore store = null;
    ScheduledExecutorService compactor = null;
    if (options.file == null) {
      backend = new MemoryBackend();
    } else {
      File file = new File(options.file);
      File parent = file.getAbsoluteFile().getParentFile();
      if (parent != null) parent.mkdirs();
      store =
          new MVStore.Builder()
              .fileName(file.getPath())
              .cacheSize(options.cacheMb)
              // No background writer, and no commits from inside a write when unsaved changes pile
              // up: every version that reaches the file is committed by DurableH2Backend and
              // synced before the next one is written.
              .autoCommitDisabled()
              .autoCommitBufferSize(0)
              .open();
      // How long a dead chunk's space stays unused. MVStore keeps 45 s by default, for two
      // reasons that do not apply here: a reader may still walk an old version (every command
      // registers the version it reads, DurableH2Backend.handleCommand), and a crash may lose the
      // versions that the disk had not flushed yet (here every version is synced before the next
      // one is written, and a chunk is freed only once it has been dead for several versions, so
      // no synced version that a restart could fall back to needs it). With 45 s the file grew
      // 13x in a minute of churn, since nothing written in the last 45 s can be reclaimed.
      store.setRetentionTime(0);
      DurableH2Backend durable = new DurableH2Backend(store);
      backend = durable;
      compactor = startCompaction(durable, options.compactFillRate);
    }
    backend.version(ReportedVersion.MONGO_4_4);

    MongoServer server = new MongoServer(backend);
    server.bind(options.host, options.port);
    InetSocketAddress address = server.getLocalAddress();

    MVStore opened = store;
    ScheduledExecutorService compacting = compactor;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.shutdownNow();
                  if (compacting != null) {
                    compacting.shutdown();
                    try {
                      compacting.awaitTermination(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                  // Every acknowledged write is on disk already; closing commits what is left.
                  if (opened != null && !opened.isClosed()) opened.close();
                },
                "cairn-mongo-local-shutdown"));

    System.out.println(
        "ready mongodb://" + address.getHostString() + ":" + address.getPort() + "/");
    System.out.flush();
  }

  /** Runs the compaction steps (DurableH2Backend.compactStep says why) on a daemon thread. */
  private static ScheduledExecutorService startCompaction(
      DurableH2Backend backend, int targetFillRate) {
    ScheduledExecutorService compactor =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "cairn-mongo-local-compactor");
              thread.setDaemon(true);
              return thread;
            });
    compactor.scheduleWithFixedDelay(
        () -> {
          try {
            backend.compactStep(targetFillRate);
          } catch (RuntimeException e) {
            // The store may be closing, or a chunk vanished under it; the next step tries again.
            System.err.println("cairn-mongo-local: a compaction step failed: " + e);
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
    return compactor;
  }

  /** Command-line options; a bad one stops the launcher with a message naming it. */
  static final class Options {
    String host = "127.0.0.1";
    int port = 0;
    String file = null;
    int cacheMb = 256;
    int compactFillRate = 60;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        if (i + 1 >= args.length) throw new IllegalArgumentException(name + " needs a value");
        String value = args[++i];
        switch (name) {
          case "--host" -> o.host = value;
          case "--port" -> o.port = intIn(name, value, 0, 65535);
          case "--file" -> o.file = value;
          case "--cache-mb" -> o.cacheMb = intIn(name, value, 1, 1 << 20);
          case "--compact-fill-rate" -> o.compactFillRate = intIn(name, value, 0, 100);
          default -> throw new IllegalArgumentException("unknown option " + name);
        }
      }
      return o;
    }

    private static int intIn(String name, String value, int min, int max) {
      try {
        int n = Integer.parseInt(value);
        if (n < min || n > max) throw new NumberFormatException();
        return n;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            name + " must be an integer from " + min + " to " + max + ", not '" + value + "'");
      }
    }
  }
}
