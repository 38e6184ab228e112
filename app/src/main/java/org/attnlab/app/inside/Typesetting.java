package org.attnlab.app.inside;

/**
 * Loads JLaTeXMath before the first formula is needed. Its first use reads its fonts and symbol
 * tables and initializes Java2D, about a second of work that would otherwise stall the JavaFX
 * thread when a student first opens the step-through or a lesson with math.
 */
public final class Typesetting {
    private Typesetting() {
    }

    /** Starts typesetting a formula with the usual symbols on a low-priority daemon thread, result discarded. */
    public static void warmUpInBackground() {
        Thread t = new Thread(() -> {
            try {
                Formula.render("A_{ij} = \\frac{e^{S_{ij}}}{\\sum_{j'} e^{S_{ij'}}},\\; \\sqrt{d_{head}}\\,"
                        + "\\mathrm{LN}(x)\\, W_O^{h} \\alpha\\beta\\gamma\\mu\\sigma\\phi", 16, 1);
            } catch (RuntimeException | LinkageError e) {
                // the formula is typeset again when needed, and its error shown there
            }
        }, "attnlab-typesetting-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }
}
