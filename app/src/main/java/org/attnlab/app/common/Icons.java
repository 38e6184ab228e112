package org.attnlab.app.common;

import org.kordamp.ikonli.javafx.FontIcon;

/** Material Design icons (ikonli) used by the window, by literal. */
public final class Icons {
    public static final String PLAY = "mdi2p-play";
    public static final String PAUSE = "mdi2p-pause";
    public static final String STEP = "mdi2s-skip-next";
    public static final String RESET = "mdi2r-restore";
    public static final String DICE = "mdi2d-dice-5-outline";
    public static final String OPEN = "mdi2f-folder-open-outline";
    public static final String SAVE = "mdi2c-content-save-outline";
    public static final String IMAGE = "mdi2i-image-outline";
    public static final String SPEED = "mdi2s-speedometer";
    public static final String ENLARGE = "mdi2a-arrow-expand";

    private Icons() {
    }

    /** @return a new icon node */
    public static FontIcon icon(String literal) {
        return new FontIcon(literal);
    }
}
