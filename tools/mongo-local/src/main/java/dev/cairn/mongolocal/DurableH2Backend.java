package dev.cairn.mongolocal;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;

/**
 * The H2 (MVStore) backend, with "acknowledged" meaning "on disk", and a file that stays compact.
 *
 * <p>As shipped, the backend leaves commits to MVStore's background writer, so a process killed
 * with SIGKILL loses writes it has already acknowledged (measured: thousands per round with four
 * concurrent writers). Here every write command, before its reply is sent, waits until a commit
 * and an fsync that cover it have finished. Both wire paths (OP_MSG and the legacy OP_QUERY
 * command) reach handleCommand, and the reply is written only after it returns. Commits are
 * grouped: a writer that finds a commit under way waits for it and then checks whether a later
 * one is still needed, so with many concurrent writers one fsync covers every write that finished
 * before it started.
 *
 * <p>The store is opened with MVStore's background writer off (Main), so every version that
 * reaches the file is written here, under {@link #commitLock}, and synced before the next one is
 * written. That is what makes a retention time of 0 safe (see Main) and keeps the file compact.
 * With the background writer on, its own commits raced ours: when it had just committed a write's
 * changes and handed the chunk to its writer threads, our commit found nothing to do and the
 * fsync could run before the chunk was written.
 */
final class DurableH2Backend extends H2Backend {
  /**
   * Commands that change data or metadata; their replies wait for the fsync. Every writing command
   * that mongo-java-server 1.47 implements (AbstractMongoBackend, AbstractMongoDatabase), plus
   * aggregate with $out or $merge (isWrite). Reads do not check for unsaved changes instead: while
   * another connection writes there always are some, and the read would wait for an fsync.
   */
  private static final Set<String> WRITES =
      Set.of(
          "insert",
          "update",
          "delete",
          "findandmodify",
          "create",
          "createindexes",
          "drop",
          "dropdatabase",
          "dropindexes",
          "renamecollection",
          "collmod");

  private final MVStore store;
  private final Object commitLock = new Object();
  /** Sequence numbers of write commands whose work has finished (not yet necessarily durable). */
  private final AtomicLong finished = new AtomicLong();
  /** Every write command numbered up to this one is committed and synced. Guarded by commitLock. */
  private long durable = 0;
  /** {@link #finished} when the last compaction step ran; only the compaction thread uses it. */
  private long writesAtLastStep = -1;

  DurableH2Backend(MVStore store) {
    super(store);
    this.store = store;
  }

  /** Called by H2Backend's constructor for each database in the file, and later for new ones. */
  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return FileDatabase.open(databaseName, getMvStore(), getCursorRegistry());
  }

  @Override
  public Document handleCommand(
      Channel channel, String databaseName, String command, Document query) {
    boolean write = isWrite(command, query);
    // A query walks the version of the maps it started on, reading pages from the file as it goes.
    // Registering that version keeps its chunks from being freed and overwritten under it (with a
    // retention time of 0, a chunk is reused as soon as no registered version needs it).
    MVStore.TxCounter reading = store.registerVersionUsage();
    try {
      return super.handleCommand(channel, databaseName, command, query);
    } finally {
      store.deregisterVersionUsage(reading);
      // Also after a failed command: an unordered insert that hit a duplicate has stored the rest.
      if (write) awaitDurable(finished.incrementAndGet());
    }
  }

  private static boolean isWrite(String command, Document query) {
    String name = command.toLowerCase(Locale.ROOT);
    if (WRITES.contains(name)) return true;
    // An aggregation writes when its last stage is $out or $merge.
    if (name.equals("aggregate") && query.get("pipeline") instanceof List<?> stages) {
      for (Object stage : stages) {
        if (stage instanceof Document d && (d.containsKey("$out") || d.containsKey("$merge"))) {
          return true;
        }
      }
    }
    return false;
  }

  private void awaitDurable(long sequence) {
    synchronized (commitLock) {
      if (durable >= sequence) return; // a commit that started after this write covered it
      long upTo = finished.get();
      store.commit();
      store.sync();
      durable = upTo;
    }
  }

  /**
   * One step of compaction; Main runs one a second. MVStore never overwrites live data: each
   * commit writes the changed pages to a new chunk, and a chunk's space is reused once none of its
   * pages is live. Under steady updates most chunks keep a few live pages for a long time, and the
   * background writer's housekeeping did not keep up with one commit per write: the file grew 13x
   * in a minute of churn and did not shrink when idle (tools/mongo-local/README.md has the
   * numbers). So:
   *
   * <ol>
   *   <li>when less than {@code targetFillRate} percent of the chunks' bytes are live, copy the
   *       live pages of the emptiest chunks to a new chunk, and commit and sync it like a write,
   *       under the commit lock;
   *   <li>when less than {@code targetFillRate} percent of the file is in use, move chunks from
   *       its end into the gaps and truncate it (MVStore syncs before it overwrites or shrinks).
   * </ol>
   *
   * A step copies at most 4 MB while writes are arriving (writers wait for the commit lock
   * meanwhile) and 32 MB when none arrived since the last step.
   */
  void compactStep(int targetFillRate) {
    long writes = finished.get();
    boolean idle = writes == writesAtLastStep;
    writesAtLastStep = writes;
    int rewriteBytes = (idle ? 32 : 4) << 20;
    FileStore<?> fileStore = store.getFileStore();
    if (fileStore.getChunksFillRate() < targetFillRate) {
      synchronized (commitLock) {
        if (store.compact(targetFillRate, rewriteBytes)) {
          store.commit();
          store.sync();
        }
      }
    }
    if (fileStore instanceof RandomAccessStore file && file.getFillRate() < targetFillRate) {
      file.compactMoveChunks(targetFillRate, 4L * rewriteBytes, store);
    }
  }
}
