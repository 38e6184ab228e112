package org.attnlab.tools.codegen;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates the float32 fast path of the engine from its float64 source, the way EJML generates
 * its {@code F} classes from its {@code D} ones: every template class {@code X} of
 * {@code org.attnlab.engine.compute} becomes {@code F32X} (and {@code F64Shard} becomes
 * {@code F32Shard}) by text substitution. One engine, one source of truth: a change to the
 * float64 code is a change to both precisions once this tool has run, and
 * {@code Float32TwinsTest} fails while the committed twins are out of date.
 *
 * <p>The rules, applied line by line outside string literals:
 * <ul>
 *   <li>{@code double} becomes {@code float}, {@code Double} {@code Float}, {@code DMatrixRMaj}
 *       {@code FMatrixRMaj}, {@code DoubleVector} {@code FloatVector}, "float64" "float32";</li>
 *   <li>a floating-point literal gets the suffix {@code f} ({@code 1.0} to {@code 1.0f},
 *       {@code 1e-8} to {@code 1e-8f});</li>
 *   <li>{@code Math.exp/log/sqrt/cos/sin/tanh/pow(..)}, which return double, are cast:
 *       {@code (float) Math.exp(..)} (the argument is widened and the result rounded once);</li>
 *   <li>every template class name and the hand-written pairs ({@code Reals}, {@code ParamView})
 *       get the prefix {@code F32};</li>
 *   <li>a line that ends with {@code //@keep} keeps its types (only class names change): the
 *       float64 side of a boundary, e.g. {@code Shard.logits()}, which hands back float64;</li>
 *   <li>a line that ends with {@code //@f32: code} is replaced by {@code code} (its indentation
 *       kept): the escape hatch for what substitution cannot say.</li>
 * </ul>
 * Generated files start with a header naming their template; they are committed (the build does
 * not run this tool), so that a reader sees the float32 code as it runs.
 *
 * <p>Usage: {@code java -jar tools/target/attnlab-tools.jar float32 [engine source dir]} from the
 * project root (default {@code engine/src/main/java}); {@code --check} only reports stale twins
 * (exit 1).
 */
public final class Float32Twins {
    /** The package the templates and their twins live in. */
    public static final String PACKAGE_DIR = "org/attnlab/engine/compute";

    /** The float64 classes that get a float32 twin, in dependency order. */
    public static final List<String> TEMPLATES = List.of(
            "HookSite", "Positions", "FastExp", "SimdMath", "SimdMatMul", "InPlaceMatMul", "MatMul", "PackedWeight",
            "Linear", "LayerNorm", "Mlp", "LossRows",
            "AttentionWeights", "AttentionCompute", "QkvWeights", "QkvAttentionCompute",
            "SoftmaxAttentionCompute", "LinearAttentionCompute", "LayerWeights", "ModelWeights", "Block",
            "F64Shard");

    /** Hand-written classes with a hand-written float32 partner: renamed, not generated. */
    public static final List<String> PAIRS = List.of("Reals", "ParamView");

    private static final Pattern LITERAL = Pattern.compile(
            "(?<![\\w.])((?:\\d+\\.\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?|\\d+[eE][-+]?\\d+)(?![\\w.])");
    private static final Pattern MATH = Pattern.compile("(?<![\\w.)])Math\\.(exp|log|sqrt|cos|sin|tanh|pow)\\(");
    private static final String KEEP = "//@keep";
    private static final String F32 = "//@f32:";

    private Float32Twins() {
    }

    /**
     * Runs {@link #run}; this class depends only on the JDK, so it also runs from source before
     * the engine compiles: {@code java tools/src/main/java/org/attnlab/tools/codegen/Float32Twins.java}.
     */
    public static void main(String[] args) throws IOException {
        System.exit(run(args, System.out, System.err));
    }

    /** @return the twin's class name of template {@code name} */
    public static String twinName(String name) {
        return name.equals("F64Shard") ? "F32Shard" : "F32" + name;
    }

    /**
     * @param templateName the template's class name (for the header)
     * @param source       the template's source text
     * @return the float32 twin's source text
     */
    public static String generate(String templateName, String source) {
        Map<Pattern, String> renames = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(TEMPLATES);
        names.addAll(PAIRS);
        for (String n : names) {
            renames.put(Pattern.compile("\\b" + n + "\\b"), twinName(n));
        }
        StringBuilder out = new StringBuilder();
        out.append("// GENERATED from ").append(templateName).append(".java by org.attnlab.tools.codegen.Float32Twins")
                .append(" (java -jar tools/target/attnlab-tools.jar float32).\n")
                .append("// Do not edit: edit the float64 template and run the tool again.\n");
        boolean needsDouble = false;
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String code;
            int f32 = line.indexOf(F32);
            if (f32 >= 0) {
                String indent = line.substring(0, line.length() - line.stripLeading().length());
                code = indent + line.substring(f32 + F32.length()).strip();
            } else if (line.stripTrailing().endsWith(KEEP)) {
                code = line.substring(0, line.lastIndexOf(KEEP)).stripTrailing();
                needsDouble |= code.contains("DMatrixRMaj");
            } else {
                code = substituteTypes(line);
            }
            for (Map.Entry<Pattern, String> r : renames.entrySet()) {
                code = r.getValue() == null ? code : r.getKey().matcher(code).replaceAll(r.getValue());
            }
            out.append(code);
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        String text = out.toString();
        if (needsDouble && !text.contains("import org.ejml.data.DMatrixRMaj;")) {
            text = text.replaceFirst("(\npackage [^\n]*\n\n)", "$1import org.ejml.data.DMatrixRMaj;\n");
        }
        return text;
    }

    /** Applies the type, literal and Math rules to the parts of {@code line} outside string literals. */
    static String substituteTypes(String line) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < line.length()) {
            int q = line.indexOf('"', i);
            int end = q < 0 ? line.length() : q;
            b.append(substituteCode(line.substring(i, end)));
            if (q < 0) {
                break;
            }
            int close = q + 1;
            while (close < line.length() && line.charAt(close) != '"') {
                close += line.charAt(close) == '\\' ? 2 : 1;
            }
            close = Math.min(close + 1, line.length());
            b.append(line, q, close);
            i = close;
        }
        return b.toString();
    }

    private static String substituteCode(String s) {
        s = s.replaceAll("\\bdouble\\b", "float").replaceAll("\\bDouble\\b", "Float")
                .replaceAll("\\bDMatrixRMaj\\b", "FMatrixRMaj").replaceAll("\\bDoubleVector\\b", "FloatVector")
                .replace("float64", "float32").replace("Float64", "Float32");
        String lead = s.stripLeading();
        if (lead.startsWith("*") || lead.startsWith("/*") || lead.startsWith("//")) {
            return s;                                                  // prose: no literal or cast rules
        }
        int comment = s.indexOf("//");
        if (comment >= 0) {
            return substituteCode(s.substring(0, comment)) + s.substring(comment);
        }
        Matcher m = LITERAL.matcher(s);
        s = m.replaceAll(r -> r.group(1) + "f");
        return MATH.matcher(s).replaceAll("(float) Math.$1(");
    }

    /**
     * Generates every twin from the templates under {@code sourceRoot}.
     *
     * @return twin file name to its text
     * @throws IOException if a template cannot be read
     */
    public static Map<String, String> generateAll(Path sourceRoot) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        Path dir = sourceRoot.resolve(PACKAGE_DIR);
        for (String t : TEMPLATES) {
            String src = Files.readString(dir.resolve(t + ".java"), StandardCharsets.UTF_8);
            out.put(twinName(t) + ".java", generate(t, src));
        }
        return out;
    }

    /**
     * Writes (or with {@code check} only compares) the twins.
     *
     * @param args {@code [--check] [engine source root]}
     * @return 0, or 1 when {@code --check} finds a stale twin
     * @throws IOException if a file cannot be read or written
     */
    public static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        boolean check = false;
        Path root = Path.of("engine/src/main/java");
        for (String a : args) {
            if (a.equals("--check")) {
                check = true;
            } else if (a.equals("-h") || a.equals("--help")) {
                out.println("usage: float32 [--check] [engine source root, default engine/src/main/java]");
                return 0;
            } else {
                root = Path.of(a);
            }
        }
        if (!Files.isDirectory(root.resolve(PACKAGE_DIR))) {
            err.println("float32: no " + PACKAGE_DIR + " under " + root.toAbsolutePath()
                    + " (run from the project root, or give the engine's source root)");
            return 2;
        }
        Path dir = root.resolve(PACKAGE_DIR);
        int stale = 0;
        for (Map.Entry<String, String> e : generateAll(root).entrySet()) {
            Path f = dir.resolve(e.getKey());
            String old = Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : null;
            if (e.getValue().equals(old)) {
                continue;
            }
            stale++;
            if (check) {
                err.println("stale: " + f);
            } else {
                Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
                out.println("wrote " + f);
            }
        }
        if (stale == 0) {
            out.println("float32 twins up to date (" + TEMPLATES.size() + " classes)");
        }
        return check && stale > 0 ? 1 : 0;
    }
}
