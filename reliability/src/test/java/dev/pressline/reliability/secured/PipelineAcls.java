package dev.pressline.reliability.secured;

import dev.pressline.support.kafka.TopicNames;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs of each service, exactly as deploy/OPERATIONS.md lists them ("ACLs per service"), so the
 * secured-cluster test proves the guide: a service that needed one more would fail the test.
 */
final class PipelineAcls {

  private final TopicNames topics;

  PipelineAcls(TopicNames topics) {
    this.topics = topics;
  }

  /**
   * Writes and reads back {@code posts}, writes what became of each file to {@code file-outcomes};
   * sees that the other topics exist and how they are replicated.
   */
  List<AclBinding> ingest(String user) {
    List<AclBinding> acls = startupCheck(user);
    acls.add(topic(user, topics.posts(), AclOperation.READ));
    acls.add(topic(user, topics.posts(), AclOperation.WRITE));
    acls.add(topic(user, topics.fileOutcomes(), AclOperation.WRITE));
    return acls;
  }

  /** Reads {@code posts} into the feed, and commits how far its site is under its own group. */
  List<AclBinding> feed(String user) {
    List<AclBinding> acls = startupCheck(user);
    acls.add(topic(user, topics.posts(), AclOperation.READ));
    // one group per feed instance, <prefix>feed-<instance id>, committed to without joining
    acls.add(allow(user, new ResourcePattern(ResourceType.GROUP, topics.feedGroupPrefix(), PatternType.PREFIXED),
        AclOperation.READ));
    return acls;
  }

  /** Everything the publisher does: subscribers, fan-out (transactional), mailer and the delivery log. */
  List<AclBinding> publisher(String user, String groupPrefix) {
    List<AclBinding> acls = startupCheck(user);
    acls.add(topic(user, topics.posts(), AclOperation.READ));
    for (String topic : List.of(topics.subscribers(), topics.deliveries(), topics.deliveryLog())) {
      acls.add(topic(user, topic, AclOperation.READ));
      acls.add(topic(user, topic, AclOperation.WRITE));
    }
    acls.add(allow(user, new ResourcePattern(ResourceType.GROUP, groupPrefix + "-fanout", PatternType.LITERAL),
        AclOperation.READ));
    acls.add(allow(user, new ResourcePattern(ResourceType.GROUP, groupPrefix + "-mailer", PatternType.LITERAL),
        AclOperation.READ));
    // one fan-out transactional id per instance: <group prefix>-<instance id>-fanout
    acls.add(allow(user, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, groupPrefix + "-", PatternType.PREFIXED),
        AclOperation.WRITE));
    return acls;
  }

  /**
   * Reads every topic without a group; writes jobs (retry the failed) and subscribers (import); sees
   * the committed positions of fan-out, mailers and each feed for the lag on its health page.
   */
  List<AclBinding> console(String user, String groupPrefix) {
    List<AclBinding> acls = startupCheck(user);
    for (String topic : all()) {
      acls.add(topic(user, topic, AclOperation.READ));
    }
    acls.add(topic(user, topics.deliveries(), AclOperation.WRITE));
    acls.add(topic(user, topics.subscribers(), AclOperation.WRITE));
    for (String group : List.of(groupPrefix + "-fanout", groupPrefix + "-mailer")) {
      acls.add(allow(user, new ResourcePattern(ResourceType.GROUP, group, PatternType.LITERAL), AclOperation.DESCRIBE));
    }
    acls.add(allow(user, new ResourcePattern(ResourceType.GROUP, topics.feedGroupPrefix(), PatternType.PREFIXED),
        AclOperation.DESCRIBE));
    return acls;
  }

  /** Every service's start checks all five topics: that they exist, and their replicas and min.insync.replicas. */
  private List<AclBinding> startupCheck(String user) {
    List<AclBinding> acls = new ArrayList<>();
    for (String topic : all()) {
      acls.add(topic(user, topic, AclOperation.DESCRIBE));
      acls.add(topic(user, topic, AclOperation.DESCRIBE_CONFIGS));
    }
    return acls;
  }

  private List<String> all() {
    return List.of(topics.posts(), topics.subscribers(), topics.deliveries(), topics.deliveryLog(),
        topics.fileOutcomes());
  }

  private static AclBinding topic(String user, String topic, AclOperation operation) {
    return allow(user, new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL), operation);
  }

  private static AclBinding allow(String user, ResourcePattern pattern, AclOperation operation) {
    return new AclBinding(pattern, new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
  }
}
