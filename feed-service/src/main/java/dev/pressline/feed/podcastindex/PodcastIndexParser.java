package dev.pressline.feed.podcastindex;

import com.rometools.rome.feed.module.Module;
import com.rometools.rome.io.ModuleParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jdom2.Element;

/** Reads {@link PodcastIndexModule} back from RSS 2.0, so tests and tools see what was written. */
public final class PodcastIndexParser implements ModuleParser {

  @Override
  public String getNamespaceUri() {
    return PodcastIndexModule.URI;
  }

  @Override
  public Module parse(Element element, Locale locale) {
    PodcastIndexModuleImpl module = new PodcastIndexModuleImpl();
    boolean found = false;
    Element guid = element.getChild("guid", PodcastIndexGenerator.NS);
    if (guid != null) {
      module.setGuid(guid.getTextTrim());
      found = true;
    }
    Element locked = element.getChild("locked", PodcastIndexGenerator.NS);
    if (locked != null) {
      module.setLocked("yes".equalsIgnoreCase(locked.getTextTrim()));
      module.setLockedOwner(locked.getAttributeValue("owner"));
      found = true;
    }
    List<Transcript> transcripts = new ArrayList<>();
    for (Element t : element.getChildren("transcript", PodcastIndexGenerator.NS)) {
      transcripts.add(
          new Transcript(
              t.getAttributeValue("url", ""),
              t.getAttributeValue("type", ""),
              t.getAttributeValue("language")));
    }
    if (!transcripts.isEmpty()) {
      module.setTranscripts(transcripts);
      found = true;
    }
    return found ? module : null;
  }
}
