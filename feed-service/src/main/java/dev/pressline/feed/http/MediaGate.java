package dev.pressline.feed.http;

import dev.pressline.feed.media.MediaName;

/** Decides whether a file of the media store may be served now. */
@FunctionalInterface
public interface MediaGate {

  /** What to answer for a stored file. */
  enum Access {
    /** serve the file */
    SERVE,
    /** it belongs only to retracted posts: answer 404 as if it were not there */
    WITHHELD,
    /** the catalogue is still loading, so whether it is withheld is not known yet: 503 */
    LOADING
  }

  Access access(MediaName file);
}
