package io.fulcrum.dataset.io;

/**
 * How a delimited text file is laid out. Gzip compression is recognised from the file's first bytes,
 * so it needs no setting.
 *
 * @param delimiter the field separator, e.g. ',' or '\t'
 * @param header whether the first line names the columns
 */
public record CsvFormat(char delimiter, boolean header) {

    public static final CsvFormat COMMA_WITH_HEADER = new CsvFormat(',', true);
}
