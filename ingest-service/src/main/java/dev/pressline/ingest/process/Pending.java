package dev.pressline.ingest.process;

import dev.pressline.events.PostEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * An event decided for a file, to be sent; the file moves once Kafka acknowledged it.
 *
 * @param file the file in the inbox
 * @param name its path inside the inbox
 * @param event what goes to the posts topic
 * @param media the audio and image that leave the inbox with it
 * @param warnings what the receipt tells the editor
 * @param now when it was decided
 * @param read the file as it was read, to check that what moves to processed/ is what was published
 * @param why why it is this post's update, or a new post although its file name was known; or null
 */
record Pending(
    Path file, String name, PostEvent event, List<Path> media, List<String> warnings, Instant now, FileState read,
    String why) {}
