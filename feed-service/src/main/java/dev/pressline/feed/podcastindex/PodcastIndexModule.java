package dev.pressline.feed.podcastindex;

import com.rometools.rome.feed.module.Module;
import java.util.List;

/**
 * The Podcasting 2.0 namespace ({@code https://podcastindex.org/namespace/1.0}) as a Rome module:
 * on the channel {@code podcast:guid} and {@code podcast:locked}, on an item {@code
 * podcast:transcript}. Rome has no module for it, so this one is registered through this jar's
 * {@code rome.properties}.
 */
public interface PodcastIndexModule extends Module {

  String URI = "https://podcastindex.org/namespace/1.0";

  /** The channel's UUIDv5, or null on items. */
  String getGuid();

  void setGuid(String guid);

  /** Whether the feed may not be imported elsewhere; null leaves the tag out. */
  Boolean getLocked();

  void setLocked(Boolean locked);

  /** The e-mail address a platform asks to unlock the feed; may be null. */
  String getLockedOwner();

  void setLockedOwner(String owner);

  List<Transcript> getTranscripts();

  void setTranscripts(List<Transcript> transcripts);
}
