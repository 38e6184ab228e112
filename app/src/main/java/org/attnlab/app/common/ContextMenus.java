package org.attnlab.app.common;

import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.input.ContextMenuEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;

/** Context menus on nodes that are not controls (a {@code Canvas} region has no {@code setContextMenu}). */
public final class ContextMenus {
    private ContextMenus() {
    }

    /**
     * Shows {@code menu} on a right-button press on {@code node} (every platform, headless
     * Monocle included) and on the keyboard's context-menu key.
     */
    public static void install(Node node, ContextMenu menu) {
        node.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
            if (e.getButton() == MouseButton.SECONDARY) {
                menu.show(node, e.getScreenX(), e.getScreenY());
                e.consume();
            } else {
                menu.hide();
            }
        });
        node.addEventHandler(ContextMenuEvent.CONTEXT_MENU_REQUESTED, e -> {
            if (e.isKeyboardTrigger()) {
                menu.show(node, e.getScreenX(), e.getScreenY());
            }
            e.consume();
        });
    }
}
