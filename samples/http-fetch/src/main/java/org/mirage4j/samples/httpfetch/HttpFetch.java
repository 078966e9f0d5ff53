package org.mirage4j.samples.httpfetch;

import java.util.List;
import java.util.Map;
import org.mirage4j.api.Console;
import org.mirage4j.api.HttpClient;
import org.mirage4j.api.Job;

/** Fetches one URL and prints the status, the header fields and the body. */
public final class HttpFetch implements Job {
  private final Console console;
  private final HttpClient client;
  private final String uri;

  /** The console, the client and the URL to fetch. */
  public HttpFetch(Console console, HttpClient client, String uri) {
    this.console = console;
    this.client = client;
    this.uri = uri;
  }

  @Override
  public void start() throws Exception {
    HttpClient.Response response = client.get(uri);
    console.log("HTTP " + response.status() + " from " + response.uri());
    for (Map.Entry<String, List<String>> header : response.headers().entrySet()) {
      for (String value : header.getValue()) {
        console.log(header.getKey() + ": " + value);
      }
    }
    console.log("");
    console.log(response.bodyText());
  }
}
