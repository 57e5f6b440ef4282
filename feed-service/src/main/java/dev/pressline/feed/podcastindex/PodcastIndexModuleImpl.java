package dev.pressline.feed.podcastindex;

import com.rometools.rome.feed.CopyFrom;
import com.rometools.rome.feed.module.ModuleImpl;
import java.util.ArrayList;
import java.util.List;

/** The plain bean behind {@link PodcastIndexModule}. */
public final class PodcastIndexModuleImpl extends ModuleImpl implements PodcastIndexModule {

  private static final long serialVersionUID = 1L;

  private String guid;
  private Boolean locked;
  private String lockedOwner;
  private List<Transcript> transcripts = new ArrayList<>();

  public PodcastIndexModuleImpl() {
    super(PodcastIndexModule.class, URI);
  }

  @Override
  public String getGuid() {
    return guid;
  }

  @Override
  public void setGuid(String guid) {
    this.guid = guid;
  }

  @Override
  public Boolean getLocked() {
    return locked;
  }

  @Override
  public void setLocked(Boolean locked) {
    this.locked = locked;
  }

  @Override
  public String getLockedOwner() {
    return lockedOwner;
  }

  @Override
  public void setLockedOwner(String owner) {
    this.lockedOwner = owner;
  }

  @Override
  public List<Transcript> getTranscripts() {
    return transcripts;
  }

  @Override
  public void setTranscripts(List<Transcript> transcripts) {
    this.transcripts = transcripts == null ? new ArrayList<>() : new ArrayList<>(transcripts);
  }

  @Override
  public Class<? extends CopyFrom> getInterface() {
    return PodcastIndexModule.class;
  }

  @Override
  public void copyFrom(CopyFrom obj) {
    PodcastIndexModule other = (PodcastIndexModule) obj;
    setGuid(other.getGuid());
    setLocked(other.getLocked());
    setLockedOwner(other.getLockedOwner());
    setTranscripts(other.getTranscripts());
  }

  /** Rome clones modules by reflection, which cannot copy records such as {@link Transcript}. */
  @Override
  public Object clone() {
    PodcastIndexModuleImpl copy = new PodcastIndexModuleImpl();
    copy.copyFrom(this);
    return copy;
  }
}
