package dev.pressline.outside;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code wrk} against the three ways {@code /feed.xml} is answered (full body, 304, gzip): a load
 * tool must count requests and see no socket errors. A few seconds each; figures belong in
 * {@code bench/}, not here.
 */
@ExtendWith(LaunchedPipeline.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedUnderLoadTest {

  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");

  private final Web web = new Web();
  private LaunchedPipeline pipeline;

  @BeforeAll
  void publishSamples(LaunchedPipeline pipeline) throws IOException {
    this.pipeline = pipeline;
    SamplePosts.publish(pipeline);
  }

  @Test
  void fullBodiesAreCountedWithoutSocketErrors() throws IOException {
    assertLoadHolds("200", List.of());
  }

  @Test
  void notModifiedAnswersAreCountedWithoutSocketErrors() throws IOException {
    HttpResponse<byte[]> first = web.get(pipeline.feedBase() + "/feed.xml");
    String etag = first.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("no ETag"));
    HttpResponse<byte[]> again = web.get(pipeline.feedBase() + "/feed.xml", "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertLoadHolds("304", List.of("-H", "If-None-Match: " + etag));
  }

  @Test
  void gzipBodiesAreCountedWithoutSocketErrors() throws IOException {
    HttpResponse<byte[]> gz = web.get(pipeline.feedBase() + "/feed.xml", "Accept-Encoding", "gzip");
    assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertLoadHolds("gzip", List.of("-H", "Accept-Encoding: gzip"));
  }

  private void assertLoadHolds(String path, List<String> headers) throws IOException {
    String wrk = Tools.require("wrk", "wrk");
    List<String> command = new ArrayList<>(List.of(wrk, "-t1", "-c8", "-d3s", "--timeout", "5s"));
    command.addAll(headers);
    command.add(pipeline.feedBase() + "/feed.xml");
    Tools.Result result = Tools.run(command, Map.of(), 60);
    String out = result.output();
    assertThat(result.exitCode()).as(path + ": " + out).isZero();
    Matcher m = REQUESTS.matcher(out);
    assertThat(m.find()).as(path + ": wrk printed a request count:\n" + out).isTrue();
    assertThat(Long.parseLong(m.group(1))).as(path + ": requests wrk completed\n" + out).isPositive();
    assertThat(out).as(path + ": socket errors\n" + out).doesNotContain("Socket errors");
    assertThat(out).as(path + ": non-2xx/3xx answers\n" + out).doesNotContain("Non-2xx or 3xx");
  }
}
