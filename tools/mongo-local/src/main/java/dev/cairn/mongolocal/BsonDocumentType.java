package dev.cairn.mongolocal;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

/**
 * How a collection's documents are stored in the MVStore file: as BSON, the form they arrived in.
 *
 * <p>The H2 backend as shipped leaves values to MVStore's ObjectDataType, which stores a Document
 * with Java serialization: about 2.4 KB for a 1.1 KB statement, and about 120 microseconds to read
 * one back, so the first scan of 100,000 statements after a restart spent 12 s or more
 * deserializing. BSON reads back about ten times faster at half the size. It is also exact: every
 * stored document came in as BSON or was built by the server from values that did.
 *
 * <p>Files written before this type existed hold Java-serialized values. Each value written here
 * starts with a tag that ObjectDataType never writes (its tags stop below 128), so a value without
 * it is read the old way, and is rewritten as BSON the next time it changes.
 */
final class BsonDocumentType extends BasicDataType<Document> {
  static final BsonDocumentType INSTANCE = new BsonDocumentType();

  /** Marks a BSON value; ObjectDataType's type tags are all smaller. */
  private static final byte BSON_TAG = (byte) 0x80;

  /**
   * Heap bytes of a decoded Document per byte of its BSON: field names become strings of their
   * own and each field costs a map entry. With 3, a page cache filled with 100,000 statement-like
   * documents and their `_id` index counted 584 MB and held 520 MB of heap (measured), so the
   * cache holds about what its size says.
   */
  private static final int HEAP_PER_BSON_BYTE = 3;

  private final ObjectDataType legacy = new ObjectDataType();

  /** A moving average of BSON sizes, for the cache's memory estimate (as ObjectDataType keeps). */
  private volatile int averageBsonSize = 1024;

  private BsonDocumentType() {}

  @Override
  public int getMemory(Document document) {
    return averageBsonSize * HEAP_PER_BSON_BYTE;
  }

  @Override
  public void write(WriteBuffer buff, Document document) {
    ByteBuf bson = Unpooled.buffer(averageBsonSize * 2);
    try {
      BsonEncoder.encodeDocument(document, bson);
      int length = bson.readableBytes();
      track(length);
      buff.put(BSON_TAG).put(bson.nioBuffer());
    } finally {
      bson.release();
    }
  }

  @Override
  public Document read(ByteBuffer buff) {
    int start = buff.position();
    if (buff.get() != BSON_TAG) {
      buff.position(start);
      return (Document) legacy.read(buff);
    }
    // A BSON document starts with its length: four bytes, little-endian.
    int at = buff.position();
    int length = 0;
    for (int i = 3; i >= 0; i--) length = (length << 8) | (buff.get(at + i) & 0xff);
    ByteBuf bson = Unpooled.wrappedBuffer(buff.slice().limit(length));
    Document document = BsonDecoder.decodeBson(bson);
    buff.position(buff.position() + length);
    track(length);
    return document;
  }

  @Override
  public Document[] createStorage(int size) {
    return new Document[size];
  }

  private void track(int length) {
    averageBsonSize = (length + 15 * averageBsonSize) / 16;
  }
}
