package org.attnlab.app.training;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;

/**
 * Which training controls are locked (a lesson step may lock some while it is shown). The
 * controls bind their disable state to these properties, and the training keys (Space, Right, R)
 * do nothing while their control is locked; the commands themselves stay available to code (a
 * lesson's "Train it yourself" still plays).
 */
public final class ControlLocks {
    /** A control that can be locked, named as lessons name it ({@code lock: task, play}). */
    public enum Control {
        /** The task chooser. */
        TASK,
        /** The preset chooser. */
        PRESET,
        /** The model settings sheet. */
        MODEL,
        /** The training settings sheet. */
        TRAINING,
        /** Play / Pause (and the Space key). */
        PLAY,
        /** Step (and the Right arrow key). */
        STEP,
        /** Reset (and the R key). */
        RESET;

        /** @return the lesson's name of the control, e.g. {@code task} */
        public String lessonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @return the control a lesson names {@code name}, if any */
        public static Optional<Control> byLessonName(String name) {
            for (Control c : values()) {
                if (c.lessonName().equals(name)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    }

    private final Map<Control, ReadOnlyBooleanWrapper> locked = new EnumMap<>(Control.class);

    /** All controls unlocked. */
    public ControlLocks() {
        for (Control c : Control.values()) {
            locked.put(c, new ReadOnlyBooleanWrapper(this, c.lessonName() + "Locked"));
        }
    }

    /** @return whether {@code c} is locked (bind a control's disable state to it) */
    public ReadOnlyBooleanProperty lockedProperty(Control c) {
        return locked.get(c).getReadOnlyProperty();
    }

    /** @return whether {@code c} is locked */
    public boolean isLocked(Control c) {
        return locked.get(c).get();
    }

    /** Locks exactly {@code controls}, unlocking the others. */
    public void lockOnly(Collection<Control> controls) {
        for (Control c : Control.values()) {
            locked.get(c).set(controls.contains(c));
        }
    }

    /** Unlocks every control. */
    public void unlockAll() {
        lockOnly(java.util.List.of());
    }
}
