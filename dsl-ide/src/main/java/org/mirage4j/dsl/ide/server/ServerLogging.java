package org.mirage4j.dsl.ide.server;

import org.apache.log4j.ConsoleAppender;
import org.apache.log4j.Level;
import org.apache.log4j.Logger;
import org.apache.log4j.PatternLayout;

/** Xtext logs through log4j: send it to stderr (stdout carries the protocol), warnings and up. */
final class ServerLogging {

  private ServerLogging() {}

  static void toStandardError() {
    Logger root = Logger.getRootLogger();
    root.removeAllAppenders();
    ConsoleAppender appender = new ConsoleAppender(new PatternLayout("mirage4j-ls %-5p %c{1}: %m%n"), ConsoleAppender.SYSTEM_ERR);
    root.addAppender(appender);
    root.setLevel(Level.WARN);
  }
}
