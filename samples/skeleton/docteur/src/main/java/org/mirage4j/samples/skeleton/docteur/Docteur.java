package org.mirage4j.samples.skeleton.docteur;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import org.mirage4j.api.Job;
import org.mirage4j.api.KvRo;

/**
 * Logs the file {@code --filename} of the store, or the store's error, as the original's {@code
 * Unikernel.Make(Store : Mirage_kv.RO)} does ({@code Logs.info} of the contents, {@code Logs.err}
 * of the error; the program ends with status 0 either way, as there).
 */
public final class Docteur implements Job {

  private static final System.Logger LOG = System.getLogger("application");

  private final KvRo store;
  private final String filename;

  /** The wiring passes the store and the runtime key {@code --filename}. */
  public Docteur(KvRo store, String filename) {
    this.store = store;
    this.filename = filename;
  }

  @Override
  public void start() {
    try {
      LOG.log(Level.INFO, new String(store.get(filename), StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.log(Level.ERROR, "Error: " + e.getMessage() + ".");
    }
  }
}
