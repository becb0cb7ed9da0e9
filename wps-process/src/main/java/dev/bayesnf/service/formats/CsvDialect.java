package dev.bayesnf.service.formats;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a delimited text file is written: field delimiter, decimal mark, quote character and
 * encoding. {@link #detect} reads them from the start of the file, the way a spreadsheet's import
 * dialogue guesses them; any of them can be forced (command-line {@code --delimiter},
 * {@code --decimal}, {@code --encoding}).
 *
 * <p>Detection, on the first {@value #SAMPLE_BYTES} bytes: a byte-order mark decides the
 * encoding, else UTF-8 when those bytes decode as UTF-8, else windows-1252 (what spreadsheets on
 * Windows export); the delimiter is the one of {@code , ; TAB |} that splits the header and the
 * following lines into the same number of fields (outside quotes) most often, ties to the one
 * giving more fields; the decimal mark is a comma when the delimiter is not one and numbers are
 * written {@code 12,5} with none written {@code 12.5}.
 *
 * @param delimiter the field delimiter
 * @param decimal the decimal mark, '.' or ','
 * @param quote the quote character
 * @param charset the encoding
 */
public record CsvDialect(char delimiter, char decimal, char quote, Charset charset) {
    /** How many bytes of a file detection looks at. */
    public static final int SAMPLE_BYTES = 64 * 1024;

    /** Comma-separated, decimal point, double quotes, UTF-8 (RFC 4180). */
    public static final CsvDialect RFC4180 = new CsvDialect(',', '.', '"', StandardCharsets.UTF_8);

    private static final char[] DELIMITERS = {',', ';', '\t', '|'};
    private static final int SAMPLE_LINES = 50;
    private static final Pattern COMMA_NUMBER = Pattern.compile("[+-]?\\d+,\\d+([eE][+-]?\\d+)?");
    private static final Pattern POINT_NUMBER = Pattern.compile("[+-]?\\d*\\.\\d+([eE][+-]?\\d+)?");
    // thousands grouping only after a non-zero first group: 0.125 is not 125
    private static final Pattern COMMA_DECIMAL_CELL = Pattern.compile(
            "[+-]?([1-9]\\d{0,2}(\\.\\d{3})+|\\d+)(,\\d+)?([eE][+-]?\\d+)?");
    private static final Pattern THOUSANDS_COMMA = Pattern.compile("[+-]?[1-9]\\d{0,2}(,\\d{3})+");

    public CsvDialect {
        if (decimal != '.' && decimal != ',') {
            throw new IllegalArgumentException("decimal mark must be '.' or ',', got '" + decimal + "'");
        }
        if (delimiter == decimal || delimiter == quote || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("delimiter '" + printable(delimiter) + "' cannot be used with decimal mark '"
                    + decimal + "' and quote '" + quote + "'");
        }
    }

    /**
     * What the user forces; null fields are detected.
     *
     * @param delimiter the field delimiter, or null
     * @param decimal the decimal mark, or null
     * @param charset the encoding, or null
     */
    public record Forced(Character delimiter, Character decimal, Charset charset) {
        /** Nothing forced. */
        public static final Forced NONE = new Forced(null, null, null);

        /**
         * Parses the command line's words: a delimiter character or {@code tab}, {@code semicolon},
         * {@code comma}, {@code pipe}; a decimal mark {@code .} / {@code point} or {@code ,} /
         * {@code comma}; an encoding name.
         *
         * @throws IllegalArgumentException naming the value that cannot be used
         */
        public static Forced parse(String delimiter, String decimal, String encoding) {
            return new Forced(delimiter == null ? null : delimiterChar(delimiter),
                    decimal == null ? null : decimalChar(decimal), encoding == null ? null : charsetNamed(encoding));
        }
    }

    /** Detects the dialect of a file from its first bytes, keeping what {@code forced} fixes. */
    public static CsvDialect detect(byte[] head, Forced forced) {
        Charset cs = forced.charset() != null ? forced.charset() : detectCharset(head);
        String text = new String(head, bomLength(head, cs), head.length - bomLength(head, cs), cs);
        List<String> lines = sampleLines(text, head.length >= SAMPLE_BYTES);
        char delim = forced.delimiter() != null ? forced.delimiter() : detectDelimiter(lines);
        char dec = forced.decimal() != null ? forced.decimal() : detectDecimal(lines, delim);
        return new CsvDialect(delim, dec, '"', cs);
    }

    /** The number of bytes of a byte-order mark at the start of {@code head} for {@code cs}. */
    public static int bomLength(byte[] head, Charset cs) {
        if (cs.equals(StandardCharsets.UTF_8) && head.length >= 3 && (head[0] & 0xFF) == 0xEF
                && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            return 3;
        }
        if ((cs.equals(StandardCharsets.UTF_16LE) || cs.equals(StandardCharsets.UTF_16BE)) && head.length >= 2
                && ((head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE || (head[0] & 0xFF) == 0xFE
                        && (head[1] & 0xFF) == 0xFF)) {
            return 2;
        }
        return 0;
    }

    /**
     * A cell as a number with a decimal point: with a decimal comma, {@code 1.234,5} and
     * {@code 12,5} become {@code 1234.5} and {@code 12.5}; other text is returned unchanged.
     */
    public String normalizeNumber(String cell) {
        if (decimal != ',' || cell.indexOf(',') < 0 && cell.indexOf('.') < 0) {
            return cell;
        }
        String t = cell.trim();
        if (!COMMA_DECIMAL_CELL.matcher(t).matches()) {
            return cell;
        }
        return t.replace(".", "").replace(',', '.');
    }

    /** In words, for messages and reports: "';' delimited, decimal comma, windows-1252". */
    public String describe() {
        return "'" + printable(delimiter) + "' delimited, decimal " + (decimal == ',' ? "comma" : "point") + ", "
                + charset.name();
    }

    private static Charset detectCharset(byte[] head) {
        if (head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) {
            return StandardCharsets.UTF_16LE;
        }
        if (head.length >= 2 && (head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF) {
            return StandardCharsets.UTF_16BE;
        }
        int n = head.length;
        if (n >= SAMPLE_BYTES) {
            // the sample may end inside a multi-byte character: back off to the character's start
            while (n > 0 && (head[n - 1] & 0xC0) == 0x80) {
                n--;
            }
            if (n > 0 && (head[n - 1] & 0xFF) >= 0xC0) {
                n--;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(head, 0, Math.max(n, 0)));
            return StandardCharsets.UTF_8;
        } catch (CharacterCodingException e) {
            return Charset.forName("windows-1252");
        }
    }

    private static List<String> sampleLines(String text, boolean truncated) {
        List<String> lines = new ArrayList<>();
        String[] all = text.split("\r\n|\n|\r", -1);
        int usable = truncated ? all.length - 1 : all.length; // the last line of a cut sample is partial
        for (int i = 0; i < usable && lines.size() < SAMPLE_LINES; i++) {
            if (!all[i].isBlank()) {
                lines.add(all[i]);
            }
        }
        return lines;
    }

    private static char detectDelimiter(List<String> lines) {
        if (lines.isEmpty()) {
            return ',';
        }
        char best = ',';
        int bestAgree = -1;
        int bestFields = 0;
        for (char d : DELIMITERS) {
            int header = count(lines.get(0), d);
            if (header == 0) {
                continue;
            }
            int agree = 0;
            for (int i = 1; i < lines.size(); i++) {
                if (count(lines.get(i), d) == header) {
                    agree++;
                }
            }
            if (agree > bestAgree || agree == bestAgree && header > bestFields) {
                best = d;
                bestAgree = agree;
                bestFields = header;
            }
        }
        return best;
    }

    /** Delimiters outside double quotes. */
    private static int count(String line, char d) {
        int n = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == d && !quoted) {
                n++;
            }
        }
        return n;
    }

    private static char detectDecimal(List<String> lines, char delim) {
        if (delim == ',') {
            return '.';
        }
        int comma = 0;
        int point = 0;
        for (int i = 1; i < lines.size(); i++) {
            for (String cell : lines.get(i).split(Pattern.quote(String.valueOf(delim)), -1)) {
                String c = cell.trim();
                if (c.length() > 1 && c.charAt(0) == '"' && c.charAt(c.length() - 1) == '"') {
                    c = c.substring(1, c.length() - 1).trim();
                }
                if (COMMA_NUMBER.matcher(c).matches() && !THOUSANDS_COMMA.matcher(c).matches()) {
                    // 12,345 may be English thousands; 12,5 and 0,125 are decimal commas
                    comma++;
                } else if (POINT_NUMBER.matcher(c).matches()) {
                    point++;
                }
            }
        }
        return comma > 0 && point == 0 ? ',' : '.';
    }

    private static char delimiterChar(String s) {
        String w = s.toLowerCase(Locale.ROOT);
        switch (w) {
            case "tab", "\\t", "\t":
                return '\t';
            case "comma":
                return ',';
            case "semicolon":
                return ';';
            case "pipe":
                return '|';
            default:
                if (s.length() == 1) {
                    return s.charAt(0);
                }
                throw new IllegalArgumentException("delimiter '" + s + "': give one character, or tab, comma, semicolon, pipe");
        }
    }

    private static char decimalChar(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case ".", "point", "dot":
                return '.';
            case ",", "comma":
                return ',';
            default:
                throw new IllegalArgumentException("decimal mark '" + s + "': give '.' (point) or ',' (comma)");
        }
    }

    private static Charset charsetNamed(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("encoding '" + name + "' is not known (e.g. UTF-8, windows-1252, ISO-8859-1)");
        }
    }

    private static String printable(char c) {
        return c == '\t' ? "\\t" : String.valueOf(c);
    }
}
