package org.attnlab.app.inside;

import java.util.function.BiConsumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.attnlab.app.common.ContextMenus;
import org.attnlab.app.common.Icons;
import org.attnlab.app.common.PngExport;
import org.attnlab.app.common.Styles;

/**
 * What the views inside the model share: a title, a hint, an "Export PNG" button and context
 * menu, and drawing the newest result of the view's model while the view is showing (at most once
 * per result; a view that becomes visible catches up at once). The view models compute; the
 * views only draw.
 *
 * @param <R> what the view draws
 */
abstract class InsidePane<R> extends VBox {
    protected final Label title = new Label();
    protected final Label hint = new Label();
    private final BooleanProperty showing = new SimpleBooleanProperty(this, "showing");
    private final Button export = new Button("Export PNG", Icons.icon(Icons.IMAGE));
    private final String exportName;
    private final ObservableValue<R> results;
    private BiConsumer<String, WritableImage> exporter = (n, i) -> { };
    private R shown;

    /**
     * @param results    the view model's results
     * @param exportName the file-name part of an exported PNG, e.g. {@code residual-stream}
     */
    InsidePane(ObservableValue<R> results, String exportName) {
        this.results = results;
        this.exportName = exportName;
        getStyleClass().add(Styles.INSIDE_VIEW);
        setSpacing(6);
        setPadding(new Insets(8, 10, 8, 10));
        title.getStyleClass().add(Styles.PANEL_TITLE);
        hint.getStyleClass().add(Styles.HINT);
        hint.setWrapText(true);
        hint.setMinHeight(Region.USE_PREF_SIZE);
        export.setId("export-" + exportName);
        export.setTooltip(new Tooltip("Save this view as a PNG image"));
        export.setFocusTraversable(false);
        export.setOnAction(e -> exportNow());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox header = new HBox(8, title, gap, export);
        header.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(header, hint);
        MenuItem item = new MenuItem("Export view as PNG\u2026", Icons.icon(Icons.IMAGE));
        item.setOnAction(e -> exportNow());
        ContextMenus.install(this, new ContextMenu(item));
        results.addListener((o, a, b) -> update());
        showing.addListener((o, a, on) -> update());
    }

    /** @return whether the view should be stretched to the height of its tab (else it scrolls at its natural height) */
    boolean fillsHeight() {
        return false;
    }

    /** @return whether the view is on screen (bound to its tab's selection) */
    BooleanProperty showingProperty() {
        return showing;
    }

    /** @param exporter given the file-name part and the picture when the user exports */
    void setExporter(BiConsumer<String, WritableImage> exporter) {
        this.exporter = exporter;
    }

    /** @return a picture of the view without its Export button, at twice its size */
    WritableImage picture() {
        export.setVisible(false);
        try {
            return PngExport.snapshot(this, 2);
        } finally {
            export.setVisible(true);
        }
    }

    private void exportNow() {
        exporter.accept(exportName, picture());
    }

    /** Draws the newest result if showing and not drawn yet. */
    private void update() {
        R r = results.getValue();
        if (!showing.get() || r == null || r == shown) {
            return;
        }
        shown = r;
        show(r);
    }

    /** @return the result last drawn, or null */
    protected final R shown() {
        return shown;
    }

    /** Draws {@code r} (JavaFX thread; no computing here beyond laying out what {@code r} holds). */
    protected abstract void show(R r);

    /** @return a bold heading */
    static Label heading(String text) {
        Label l = new Label(text);
        l.getStyleClass().add(Styles.VIEW_HEADING);
        return l;
    }
}
