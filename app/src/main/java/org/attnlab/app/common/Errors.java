package org.attnlab.app.common;

import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** One line for a problem, as the command line says it: the message, never a stack trace. */
public final class Errors {
    private Errors() {
    }

    /** @return the cause's one-line message (unwrapping future wrappers) */
    public static String oneLine(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof NoSuchFileException nsf) {
            return "no such file: " + nsf.getFile();
        }
        if (t instanceof AccessDeniedException ade) {
            return "permission denied: " + ade.getFile();
        }
        if (t instanceof OutOfMemoryError) {
            return "out of memory (the model or batch is too large for this machine)";
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.replace('\n', ' ');
    }
}
