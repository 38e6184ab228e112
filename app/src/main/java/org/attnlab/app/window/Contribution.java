package org.attnlab.app.window;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javafx.scene.control.Menu;

/**
 * What a {@link Feature} adds to the window, in order: tabs, menus of the menu bar, and keyboard
 * shortcuts.
 *
 * @param views     the tabs below the probe, in the order shown
 * @param menus     menus added to the menu bar after the window's own (File), in the order given
 * @param shortcuts keys, tried in the order given (see {@link Feature} for the order between features)
 */
public record Contribution(List<ViewTab> views, List<Menu> menus, List<Shortcut> shortcuts) {
    /** Nothing. */
    public static final Contribution NONE = new Contribution(List.of(), List.of(), List.of());

    /** Copies the lists (unmodifiable). */
    public Contribution {
        views = List.copyOf(views);
        menus = List.copyOf(menus);
        shortcuts = List.copyOf(shortcuts);
    }

    /** @return an empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects a contribution. */
    public static final class Builder {
        private final List<ViewTab> views = new ArrayList<>();
        private final List<Menu> menus = new ArrayList<>();
        private final List<Shortcut> shortcuts = new ArrayList<>();

        private Builder() {
        }

        /** Adds a tab. */
        public Builder view(ViewTab v) {
            views.add(Objects.requireNonNull(v));
            return this;
        }

        /** Adds a menu to the menu bar. */
        public Builder menu(Menu m) {
            menus.add(Objects.requireNonNull(m));
            return this;
        }

        /** Adds a shortcut. */
        public Builder shortcut(Shortcut s) {
            shortcuts.add(Objects.requireNonNull(s));
            return this;
        }

        /** @return the contribution */
        public Contribution build() {
            return new Contribution(views, menus, shortcuts);
        }
    }
}
