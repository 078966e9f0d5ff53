package org.mirage4j.dsl.conversion;

import org.eclipse.xtext.common.services.DefaultTerminalConverters;
import org.eclipse.xtext.conversion.IValueConverter;
import org.eclipse.xtext.conversion.ValueConverter;
import org.eclipse.xtext.conversion.ValueConverterException;
import org.eclipse.xtext.conversion.impl.AbstractValueConverter;
import org.eclipse.xtext.nodemodel.INode;

/**
 * The language's value converters: Xtext's terminals, and a match case's {@code Label}, whose value
 * is the name or bool as written, or a string's contents ({@code "http/1.1" -> ...} is the case of
 * the choice value {@code http/1.1}).
 */
public class MirageValueConverters extends DefaultTerminalConverters {

  /** A label: a string's contents, anything else as written. */
  @ValueConverter(rule = "Label")
  public IValueConverter<String> Label() {
    IValueConverter<String> strings = STRING();
    return new AbstractValueConverter<>() {
      @Override
      public String toValue(String text, INode node) throws ValueConverterException {
        if (text == null) {
          return null;
        }
        String t = text.strip();
        return t.startsWith("\"") || t.startsWith("'") ? strings.toValue(t, node) : t;
      }

      @Override
      public String toString(String value) throws ValueConverterException {
        return org.mirage4j.model.ValueType.Choice.isName(value) ? value : strings.toString(value);
      }
    };
  }
}
