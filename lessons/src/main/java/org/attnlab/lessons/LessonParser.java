package org.attnlab.lessons;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.attnlab.engine.tasks.Tasks;
import org.attnlab.engine.train.Presets;
import org.attnlab.engine.train.RunSpec;

/**
 * Reads one lesson file. The format (see {@code assets/lessons/README.md}):
 * <pre>
 * ---
 * title: Heads and their patterns
 * summary: one line for the table of contents
 * ---
 *
 * ## First step's title
 * ```lesson
 * preset: flipflop16
 * checkpoint: lessons/checkpoints/flipflop.safetensors
 * view: Training
 * highlight: L0H1
 * lock: task, preset
 * ```
 * Markdown text, math as $x$ or $$x$$.
 * ```predict
 * question: Which token will head L0H1 attend to?
 * choices: the last write | the first token | itself
 * answer: the last write
 * explain: ...
 * ```
 * ## Second step ...
 * </pre>
 * A {@code lesson} block's keys: task, preset, set (comma-separated {@code key=value} of
 * {@link StepSetup#SETTINGS}), seed, checkpoint, view, highlight, lock. A {@code predict}
 * block's: question, choices ({@code |}-separated), answer (a choice's text or number from 1),
 * explain. Headings inside other fenced code blocks do not start steps.
 */
public final class LessonParser {
    private static final String FENCE = "```";

    private LessonParser() {
    }

    /**
     * @param file the file's name (used in errors and as the lesson's id without {@code .md})
     * @param text the file's text
     * @return the lesson
     * @throws LessonFormatException naming the file and line of the first problem found
     */
    public static Lesson parse(String file, String text) throws LessonFormatException {
        String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        Map<String, String> front = new LinkedHashMap<>();
        int i = frontMatter(file, lines, front);
        List<Step> steps = new ArrayList<>();
        StepSetup inForce = StepSetup.NONE;
        String title = null;
        int titleLine = 0;
        StringBuilder body = new StringBuilder();
        StepSetup own = null;
        PredictionQuestion prediction = null;
        for (; i <= lines.length; i++) {
            String line = i < lines.length ? lines[i] : null;
            boolean heading = line != null && line.startsWith("## ");
            if (line == null || heading) {
                if (title != null) {
                    StepSetup o = own == null ? StepSetup.NONE : own;
                    inForce = inForce.then(o);
                    steps.add(new Step(steps.size(), title, body.toString().strip(), titleLine, o, inForce, prediction));
                }
                if (line == null) {
                    break;
                }
                title = line.substring(3).strip();
                titleLine = i + 1;
                if (title.isEmpty()) {
                    throw new LessonFormatException(file, i + 1, "a step needs a title after '## '");
                }
                body.setLength(0);
                own = null;
                prediction = null;
                continue;
            }
            String trimmed = line.strip();
            if (trimmed.startsWith(FENCE)) {
                String info = trimmed.substring(3).strip().toLowerCase(Locale.ROOT);
                int end = closingFence(file, lines, i);
                if (info.equals("lesson") || info.equals("predict")) {
                    if (title == null) {
                        throw new LessonFormatException(file, i + 1, "a '" + info + "' block before the first step "
                                + "(start each step with '## ')");
                    }
                    Map<String, Integer> keyLines = new LinkedHashMap<>();
                    Map<String, String> kv = keyValues(file, lines, i + 1, end, keyLines);
                    if (info.equals("lesson")) {
                        if (own != null) {
                            throw new LessonFormatException(file, i + 1, "a second 'lesson' block in step '" + title + "'");
                        }
                        own = setup(file, kv, keyLines);
                    } else {
                        if (prediction != null) {
                            throw new LessonFormatException(file, i + 1, "a second 'predict' block in step '" + title + "'");
                        }
                        prediction = prediction(file, i + 1, kv, keyLines);
                    }
                } else {
                    if (title == null) {
                        throw new LessonFormatException(file, i + 1, "text before the first step (start each step with '## ')");
                    }
                    for (int k = i; k <= end; k++) {
                        body.append(lines[k]).append('\n');
                    }
                }
                i = end;
                continue;
            }
            if (title == null) {
                if (!trimmed.isEmpty()) {
                    throw new LessonFormatException(file, i + 1, "text before the first step (start each step with '## ')");
                }
                continue;
            }
            body.append(line).append('\n');
        }
        if (steps.isEmpty()) {
            throw new LessonFormatException(file, lines.length, "no steps (start each step with '## ')");
        }
        String id = file.endsWith(".md") ? file.substring(0, file.length() - 3) : file;
        return new Lesson(id, file, front.get("title"), front.getOrDefault("summary", ""), steps);
    }

    /** @return the index of the first line after the front matter */
    private static int frontMatter(String file, String[] lines, Map<String, String> front) throws LessonFormatException {
        if (lines.length == 0 || !lines[0].strip().equals("---")) {
            throw new LessonFormatException(file, 1, "a lesson starts with front matter: '---', 'title: ...', '---'");
        }
        int end = -1;
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].strip().equals("---")) {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw new LessonFormatException(file, 1, "the front matter is not closed with '---'");
        }
        Map<String, Integer> keyLines = new LinkedHashMap<>();
        front.putAll(keyValues(file, lines, 1, end, keyLines));
        for (Map.Entry<String, Integer> e : keyLines.entrySet()) {
            if (!e.getKey().equals("title") && !e.getKey().equals("summary")) {
                throw new LessonFormatException(file, e.getValue(), "unknown key '" + e.getKey()
                        + "' (known: title, summary)");
            }
        }
        if (front.get("title") == null || front.get("title").isBlank()) {
            throw new LessonFormatException(file, end + 1, "the front matter needs a 'title'");
        }
        return end + 1;
    }

    private static int closingFence(String file, String[] lines, int open) throws LessonFormatException {
        for (int k = open + 1; k < lines.length; k++) {
            if (lines[k].strip().equals(FENCE)) {
                return k;
            }
        }
        throw new LessonFormatException(file, open + 1, "this code block is never closed with ```");
    }

    /** Reads {@code key: value} lines in [from, to); blank lines and lines starting with # are skipped. */
    private static Map<String, String> keyValues(String file, String[] lines, int from, int to,
                                                 Map<String, Integer> keyLines) throws LessonFormatException {
        Map<String, String> out = new LinkedHashMap<>();
        for (int k = from; k < to; k++) {
            String s = lines[k].strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            int colon = s.indexOf(':');
            if (colon <= 0) {
                throw new LessonFormatException(file, k + 1, "expected 'key: value', found '" + s + "'");
            }
            String key = s.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            if (out.containsKey(key)) {
                throw new LessonFormatException(file, k + 1, "'" + key + "' is given twice (first on line "
                        + keyLines.get(key) + ")");
            }
            String value = s.substring(colon + 1).strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);     // YAML-style quotes are optional
            }
            out.put(key, value);
            keyLines.put(key, k + 1);
        }
        return out;
    }

    private static StepSetup setup(String file, Map<String, String> kv, Map<String, Integer> at)
            throws LessonFormatException {
        String task = null, preset = null, checkpoint = null, view = null;
        Integer seed = null;
        HighlightedHead head = null;
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> locks = new ArrayList<>();
        for (Map.Entry<String, String> e : kv.entrySet()) {
            String v = e.getValue();
            int line = at.get(e.getKey());
            switch (e.getKey()) {
                case "task" -> {
                    if (!Tasks.names().contains(v)) {
                        throw new LessonFormatException(file, line, "unknown task '" + v + "' (known: "
                                + String.join(", ", Tasks.names()) + ")");
                    }
                    task = v;
                }
                case "preset" -> {
                    try {
                        Presets.byName(v);
                    } catch (IllegalArgumentException x) {
                        throw new LessonFormatException(file, line, x.getMessage());
                    }
                    preset = v;
                }
                case "set" -> settings(file, line, v, settings);
                case "seed" -> seed = integer(file, line, "seed", v);
                case "checkpoint" -> {
                    if (!v.endsWith(".safetensors") || v.contains("..") || v.startsWith("/")) {
                        throw new LessonFormatException(file, line, "checkpoint must be a .safetensors file under "
                                + "assets/, written relative to it (e.g. lessons/checkpoints/x.safetensors)");
                    }
                    checkpoint = v;
                }
                case "view" -> {
                    if (!StepSetup.VIEWS.contains(v)) {
                        throw new LessonFormatException(file, line, "unknown view '" + v + "' (known: "
                                + String.join(", ", StepSetup.VIEWS) + ")");
                    }
                    view = v;
                }
                case "highlight" -> head = HighlightedHead.parse(v).orElseThrow(() -> new LessonFormatException(file,
                        line, "highlight a head as L<layer>H<head>, e.g. L1H0; found '" + v + "'"));
                case "lock" -> {
                    for (String l : v.split(",")) {
                        String name = l.strip();
                        if (!StepSetup.LOCKABLE.contains(name)) {
                            throw new LessonFormatException(file, line, "cannot lock '" + name + "' (lockable: "
                                    + String.join(", ", StepSetup.LOCKABLE) + ")");
                        }
                        locks.add(name);
                    }
                }
                default -> throw new LessonFormatException(file, line, "unknown key '" + e.getKey() + "' (known: task, "
                        + "preset, set, seed, checkpoint, view, highlight, lock)");
            }
        }
        if (task != null && preset != null && !Presets.byName(preset).taskName().equals(task)) {
            RunSpec p = Presets.byName(preset);
            throw new LessonFormatException(file, at.get("preset"), "preset '" + preset + "' is for task '"
                    + p.taskName() + "', not '" + task + "'");
        }
        return new StepSetup(task, preset, settings, seed, checkpoint, view, head, locks);
    }

    private static void settings(String file, int line, String v, Map<String, String> out) throws LessonFormatException {
        for (String pair : v.split(",")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair.strip() : pair.substring(0, eq).strip();
            String value = eq < 0 ? "" : pair.substring(eq + 1).strip();
            if (!StepSetup.SETTINGS.contains(key)) {
                throw new LessonFormatException(file, line, "unknown setting '" + key + "' (known: "
                        + String.join(", ", StepSetup.SETTINGS) + ")");
            }
            if (value.isEmpty()) {
                throw new LessonFormatException(file, line, "write the setting as " + key + "=value");
            }
            switch (key) {
                case "n_layers", "n_heads", "d_model", "batch_size", "steps" -> integer(file, line, key, value);
                case "lr" -> {
                    try {
                        Double.parseDouble(value);
                    } catch (NumberFormatException x) {
                        throw new LessonFormatException(file, line, "lr must be a number, found '" + value + "'");
                    }
                }
                case "attn_only" -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        throw new LessonFormatException(file, line, "attn_only must be true or false");
                    }
                }
                default -> {
                    // enum spellings are checked when the window applies them
                }
            }
            out.put(key, value);
        }
    }

    private static int integer(String file, int line, String key, String v) throws LessonFormatException {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException x) {
            throw new LessonFormatException(file, line, key + " must be a whole number, found '" + v + "'");
        }
    }

    private static PredictionQuestion prediction(String file, int open, Map<String, String> kv, Map<String, Integer> at)
            throws LessonFormatException {
        for (String key : kv.keySet()) {
            if (!List.of("question", "choices", "answer", "explain").contains(key)) {
                throw new LessonFormatException(file, at.get(key), "unknown key '" + key
                        + "' (known: question, choices, answer, explain)");
            }
        }
        for (String need : List.of("question", "choices", "answer")) {
            if (kv.get(need) == null || kv.get(need).isBlank()) {
                throw new LessonFormatException(file, open, "a 'predict' block needs '" + need + "'");
            }
        }
        List<String> choices = new ArrayList<>();
        for (String c : kv.get("choices").split("\\|")) {
            choices.add(c.strip());
        }
        if (choices.size() < 2 || choices.stream().anyMatch(String::isEmpty)) {
            throw new LessonFormatException(file, at.get("choices"), "give two or more choices separated by '|'");
        }
        String a = kv.get("answer");
        int answer = choices.indexOf(a);
        if (answer < 0 && a.matches("\\d{1,2}")) {
            answer = Integer.parseInt(a) - 1;
        }
        if (answer < 0 || answer >= choices.size()) {
            throw new LessonFormatException(file, at.get("answer"), "the answer '" + a
                    + "' is not one of the choices (write its text or its number from 1)");
        }
        return new PredictionQuestion(kv.get("question"), choices, answer, kv.getOrDefault("explain", ""));
    }
}
