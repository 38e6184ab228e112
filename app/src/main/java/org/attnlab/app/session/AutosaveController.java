package org.attnlab.app.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.scene.Node;
import org.attnlab.app.common.Banner;
import org.attnlab.app.common.Errors;
import org.attnlab.app.common.Format;
import org.attnlab.app.training.TrainingSession;
import org.attnlab.app.training.TrainingSnapshot;
import org.attnlab.app.training.TrainingViewModel;
import org.attnlab.engine.tasks.Tasks;

/**
 * Saves the window's session (model, history, probe, open view) every so often and when the
 * window closes, and at start offers the last one back in a banner (Restore / Start fresh).
 * Until the user answers, nothing is autosaved, so the offered session is never overwritten.
 * Runs on the JavaFX thread; the saving itself happens on the training thread between two steps.
 */
public final class AutosaveController {
    /** Seconds between two autosaves while the model changes, unless configured otherwise. */
    public static final double DEFAULT_INTERVAL_SECONDS = 60;

    private final TrainingSession session;
    private final TrainingViewModel training;
    private final Supplier<TrainingSnapshot> lastShown;
    private final Autosave store;
    private final Supplier<String> currentView;
    private final Consumer<String> selectView;
    private final Consumer<Node> banner;
    private final Timeline timer;
    private boolean offerPending;
    private long savedRun = -1;
    private long savedStep = -1;
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

    /**
     * @param session     the training thread (saves and opens between two steps)
     * @param training    the training view model (its status line tells what happened)
     * @param lastShown   the newest snapshot the window shows, or null
     * @param store       where sessions are kept
     * @param interval    seconds between two autosaves while the model changes (at least 1)
     * @param currentView the name of the open view
     * @param selectView  opens the view of that name
     * @param banner      shows a node above the views, or removes it when given {@code null}
     */
    public AutosaveController(TrainingSession session, TrainingViewModel training, Supplier<TrainingSnapshot> lastShown,
                              Autosave store, double interval, Supplier<String> currentView,
                              Consumer<String> selectView, Consumer<Node> banner) {
        this.session = session;
        this.training = training;
        this.lastShown = lastShown;
        this.store = store;
        this.currentView = currentView;
        this.selectView = selectView;
        this.banner = banner;
        double seconds = Math.max(1, interval);
        timer = new Timeline(new KeyFrame(javafx.util.Duration.seconds(seconds), e -> saveIfChanged()));
        timer.setCycleCount(Timeline.INDEFINITE);
    }

    /** Offers the last session back if there is one, then starts autosaving. */
    public void start() {
        try {
            store.read().ifPresent(this::offer);
        } catch (Exception e) {
            offerPending = true;
            banner.accept(Banner.of("autosave", "The last session could not be restored: " + Errors.oneLine(e),
                    Banner.button("Dismiss", "autosaveDismiss", () -> discard())));
        }
        timer.play();
    }

    private void offer(Autosave.Session s) {
        offerPending = true;
        String when = ago(s.savedAt());
        Node b = Banner.of("autosave", String.format(Locale.ROOT, "Restore your last session? %s (%s), step %s, saved %s.",
                        Tasks.displayName(s.task()), s.preset(), Format.integer(s.step()), when),
                Banner.button("Restore", "autosaveRestore", () -> restore(s)),
                Banner.button("Start fresh", "autosaveDiscard", this::discard));
        banner.accept(b);
    }

    private void restore(Autosave.Session s) {
        banner.accept(null);
        session.open(store.checkpoint()).whenComplete((setup, e) -> Platform.runLater(() -> {
            offerPending = false;
            if (e != null) {
                training.announce("The last session could not be restored: " + Errors.oneLine(e));
                return;
            }
            session.setProbe(s.probe());
            if (s.view() != null) {
                selectView.accept(s.view());
            }
            training.announce("Restored the session saved " + ago(s.savedAt()) + " \u00b7 paused; press Play");
        }));
    }

    private void discard() {
        banner.accept(null);
        offerPending = false;
        try {
            store.discard();
        } catch (Exception e) {
            training.announce("Could not delete the last session: " + Errors.oneLine(e));
        }
    }

    /** Saves if the model changed since the last autosave (the timer calls it). */
    public void saveIfChanged() {
        TrainingSnapshot s = lastShown.get();
        if (offerPending || s == null || s.step() == 0 || !inFlight.isDone()
                || (s.runId() == savedRun && s.step() == savedStep)) {
            return;
        }
        savedRun = s.runId();
        savedStep = s.step();
        inFlight = save(s);
    }

    /**
     * Saves now and waits (when the window closes); skipped while the last session is still
     * offered or before any step was taken.
     *
     * @param timeoutMillis the longest wait
     */
    public void saveAndWait(long timeoutMillis) {
        timer.stop();
        TrainingSnapshot s = lastShown.get();
        try {
            inFlight.get(timeoutMillis, TimeUnit.MILLISECONDS);
            if (!offerPending && s != null && s.step() > 0 && !(s.runId() == savedRun && s.step() == savedStep)) {
                save(s).get(timeoutMillis, TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            System.err.println("attnlab: the session was not autosaved: " + Errors.oneLine(e));
        }
    }

    private CompletableFuture<Void> save(TrainingSnapshot s) {
        String view = currentView.get();
        int[] probe = s.probe() == null ? null : s.probe().tokenIds();
        try {
            store.prepare();
        } catch (Exception e) {
            training.announce("Autosave failed: " + Errors.oneLine(e));
            return CompletableFuture.completedFuture(null);
        }
        return session.save(store.checkpoint()).thenAccept(p -> {
            try {
                if (probe != null) {
                    store.write(new Autosave.Session(Instant.now(), s.spec().taskName(), s.spec().label(),
                            s.step(), probe, view));
                }
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }).exceptionally(e -> {
            Platform.runLater(() -> training.announce("Autosave failed: " + Errors.oneLine(e)));
            return null;
        });
    }

    private static String ago(Instant at) {
        long s = Math.max(0, Duration.between(at, Instant.now()).getSeconds());
        if (s < 90) {
            return "just now";
        }
        if (s < 90 * 60) {
            return (s / 60) + " minutes ago";
        }
        if (s < 36 * 3600) {
            return (s / 3600) + " hours ago";
        }
        return (s / 86400) + " days ago";
    }
}
