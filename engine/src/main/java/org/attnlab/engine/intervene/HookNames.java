package org.attnlab.engine.intervene;

/** Parses the per-layer hook names of engine.md ({@code blocks.<l>.<suffix>}). */
final class HookNames {
    static final String Z = "attn.hook_z";
    static final String RESID_PRE = "hook_resid_pre";
    private static final String BLOCKS = "blocks.";

    private HookNames() {
    }

    /** @return l if {@code name} is {@code blocks.<l>.<suffix>}, else -1 */
    static int layerOf(String name, String suffix) {
        if (!name.startsWith(BLOCKS) || !name.endsWith(suffix)) {
            return -1;
        }
        int dot = name.indexOf('.', BLOCKS.length());
        if (dot < 0 || dot + 1 + suffix.length() != name.length()) {
            return -1;
        }
        return Integer.parseInt(name, BLOCKS.length(), dot, 10);
    }

    /** @return {@code blocks.<l>.<suffix>} */
    static String name(int layer, String suffix) {
        return BLOCKS + layer + "." + suffix;
    }
}
