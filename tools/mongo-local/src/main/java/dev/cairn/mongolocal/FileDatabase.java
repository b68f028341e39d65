package dev.cairn.mongolocal;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.EmptyIndex;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * One database of the file backend: H2Database with documents stored as BSON (BsonDocumentType)
 * and without the no-op index builds that made opening a large file slow.
 */
final class FileDatabase extends H2Database {
  /** H2Database's map name prefixes (package-private there); the file's layout stays theirs. */
  private static final String DATA_PREFIX = "databases.";

  private static final String META_PREFIX = "meta.";

  /**
   * The process's one store. H2Database's constructor opens the existing collections, calling
   * openOrCreateCollection below, before this class's own fields are assigned, so it cannot be an
   * instance field.
   */
  private static volatile MVStore store;

  private FileDatabase(String name, CursorRegistry cursors) {
    super(name, store, cursors);
  }

  static FileDatabase open(String name, MVStore mvStore, CursorRegistry cursors) {
    store = mvStore;
    return new FileDatabase(name, cursors);
  }

  static boolean isDocumentsMap(String mapName) {
    return mapName.startsWith(DATA_PREFIX);
  }

  /** A collection's documents: keyed by `_id`, values stored as BSON. */
  static MVMap<Object, Document> openDocumentsMap(MVStore mvStore, String mapName) {
    return mvStore.openMap(
        mapName, new MVMap.Builder<Object, Document>().valueType(BsonDocumentType.INSTANCE));
  }

  @Override
  protected MongoCollection<Object> openOrCreateCollection(
      String collectionName, CollectionOptions options) {
    String fullName = getFullCollectionNamespace(collectionName);
    MVMap<Object, Document> data = openDocumentsMap(store, DATA_PREFIX + fullName);
    MVMap<String, Object> meta = store.openMap(META_PREFIX + fullName);
    return new H2Collection(this, collectionName, options, data, meta, cursorRegistry);
  }

  /**
   * mongo-java-server does not build non-unique indexes: it keeps an EmptyIndex that answers no
   * query. But when a collection is opened (every collection, at every start) or such an index is
   * created, it "builds" the empty index by reading every document twice, for nothing: with
   * Cairn's twelve statement indexes, 24 reads of every statement before the server printed
   * `ready` (12-19 s at 100,000 statements). Saying the index is not empty skips those reads;
   * isEmpty() is asked nowhere else.
   */
  @Override
  protected Index<Object> openOrCreateSecondaryIndex(
      String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
    return new EmptyIndex<>(indexName, keys) {
      @Override
      public boolean isEmpty() {
        return false;
      }
    };
  }
}
