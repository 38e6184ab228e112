package org.attnlab.app;

import org.attnlab.app.cli.AttnLabCli;

/**
 * The program's entry point. A plain class (not a JavaFX {@code Application}) so that a shaded
 * jar can start: with arguments it runs the command line without touching JavaFX; with none it
 * opens the window.
 */
public final class Main {
    private Main() {
    }

    /**
     * @param args command-line arguments; none opens the window (or says there is no display)
     */
    public static void main(String[] args) {
        if (args.length == 0) {
            System.exit(AttnLabApp.launchWindow(args));
        }
        System.exit(AttnLabCli.run(args));
    }
}
