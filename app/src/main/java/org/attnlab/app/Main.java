package org.attnlab.app;

import org.attnlab.app.cli.AttnLabCli;

/**
 * The program's entry point. A plain class (not a JavaFX {@code Application}) so that a shaded
 * jar can start: with arguments it runs the command line without touching JavaFX.
 */
public final class Main {
    private Main() {
    }

    /**
     * @param args command-line arguments; none prints usage (the window arrives with a later issue)
     */
    public static void main(String[] args) {
        System.exit(AttnLabCli.run(args));
    }
}
