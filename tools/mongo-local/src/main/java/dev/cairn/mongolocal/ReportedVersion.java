package dev.cairn.mongolocal;

import de.bwaldvogel.mongo.MongoVersion;
import java.util.List;

/**
 * The version the server reports. mongo-java-server 1.47.0 knows versions up to 5.0 but reports
 * wire version 8 for it, and the Node driver 7.x refuses any server below wire version 9
 * (MongoDB 4.4). The server implements what Cairn uses of 4.4's commands, so it says 4.4; what
 * 4.4 has and it lacks (hello, explain, sessions) is pinned by test/integration/mongodb-compat.test.ts.
 */
final class ReportedVersion implements MongoVersion {
  static final ReportedVersion MONGO_4_4 = new ReportedVersion();

  private ReportedVersion() {}

  @Override
  public List<Integer> getVersionArray() {
    return List.of(4, 4, 0);
  }

  @Override
  public int getWireVersion() {
    return 9;
  }
}
