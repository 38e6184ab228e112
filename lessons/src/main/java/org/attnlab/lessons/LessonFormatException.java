package org.attnlab.lessons;

/**
 * A lesson file that does not follow the lesson format. The message names the file and the line,
 * like a compiler's: {@code lesson3.md:17: unknown key 'preset2'}.
 */
public final class LessonFormatException extends Exception {
    private final String file;
    private final int line;
    private final String reason;

    /**
     * @param file   the file's name (e.g. {@code 03-positions.md})
     * @param line   the 1-based line at fault (0 when the problem is the whole file)
     * @param reason what is wrong, one line
     */
    public LessonFormatException(String file, int line, String reason) {
        super(file + (line > 0 ? ":" + line : "") + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    /** @return the file's name */
    public String file() {
        return file;
    }

    /** @return the 1-based line at fault, 0 if none */
    public int line() {
        return line;
    }

    /** @return what is wrong, without file and line */
    public String reason() {
        return reason;
    }
}
