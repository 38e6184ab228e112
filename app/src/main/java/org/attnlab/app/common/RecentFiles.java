package org.attnlab.app.common;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The most recently opened or saved checkpoints, newest first, kept with
 * {@link java.util.prefs.Preferences} so they survive a restart.
 */
public final class RecentFiles {
    /** How many files the menu lists. */
    public static final int LIMIT = 8;
    private static final String KEY = "recent.";

    private final Preferences prefs;
    private final ObservableList<Path> files = FXCollections.observableArrayList();
    private final ObservableList<Path> readOnly = FXCollections.unmodifiableObservableList(files);

    /** @param prefs the preferences node to keep the list in */
    public RecentFiles(Preferences prefs) {
        this.prefs = prefs;
        for (int i = 0; i < LIMIT; i++) {
            String s = prefs.get(KEY + i, null);
            if (s != null && !s.isBlank()) {
                files.add(Path.of(s));
            }
        }
    }

    /** @return the files, newest first (unmodifiable, observable) */
    public ObservableList<Path> files() {
        return readOnly;
    }

    /** Puts {@code path} first (moving it if listed) and saves the list. */
    public void add(Path path) {
        Path p = path.toAbsolutePath().normalize();
        List<Path> next = new ArrayList<>(files);
        next.remove(p);
        next.add(0, p);
        while (next.size() > LIMIT) {
            next.remove(next.size() - 1);
        }
        files.setAll(next);
        store();
    }

    /** Removes {@code path} (e.g. a file that no longer opens) and saves the list. */
    public void remove(Path path) {
        if (files.remove(path.toAbsolutePath().normalize())) {
            store();
        }
    }

    private void store() {
        for (int i = 0; i < LIMIT; i++) {
            if (i < files.size()) {
                prefs.put(KEY + i, files.get(i).toString());
            } else {
                prefs.remove(KEY + i);
            }
        }
        try {
            prefs.flush();
        } catch (BackingStoreException | SecurityException e) {
            // the list still works for this session; nothing useful to tell the user
        }
    }
}
