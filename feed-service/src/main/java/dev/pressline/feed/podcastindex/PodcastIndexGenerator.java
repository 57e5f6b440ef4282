package dev.pressline.feed.podcastindex;

import com.rometools.rome.feed.module.Module;
import com.rometools.rome.io.ModuleGenerator;
import java.util.Set;
import org.jdom2.Element;
import org.jdom2.Namespace;

/** Writes {@link PodcastIndexModule} into RSS 2.0 channels and items. */
public final class PodcastIndexGenerator implements ModuleGenerator {

  static final Namespace NS = Namespace.getNamespace("podcast", PodcastIndexModule.URI);

  @Override
  public String getNamespaceUri() {
    return PodcastIndexModule.URI;
  }

  @Override
  public Set<Namespace> getNamespaces() {
    return Set.of(NS);
  }

  @Override
  public void generate(Module module, Element element) {
    PodcastIndexModule podcast = (PodcastIndexModule) module;
    if (podcast.getLocked() != null) {
      Element locked = new Element("locked", NS).setText(podcast.getLocked() ? "yes" : "no");
      if (podcast.getLockedOwner() != null && !podcast.getLockedOwner().isEmpty()) {
        locked.setAttribute("owner", podcast.getLockedOwner());
      }
      element.addContent(locked);
    }
    if (podcast.getGuid() != null) {
      element.addContent(new Element("guid", NS).setText(podcast.getGuid()));
    }
    for (Transcript transcript : podcast.getTranscripts()) {
      Element e = new Element("transcript", NS);
      e.setAttribute("url", transcript.url());
      e.setAttribute("type", transcript.type());
      if (transcript.language() != null) {
        e.setAttribute("language", transcript.language());
      }
      element.addContent(e);
    }
  }
}
