package org.attnlab.app.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.attnlab.engine.io.AtomicFiles;

/**
 * Where the window keeps the last session so that a crash or a closed window loses nothing:
 * a checkpoint ({@value #CHECKPOINT}, with its training history next to it) and a small JSON
 * file ({@value #SESSION}) with what the checkpoint does not hold: the probe, the open view and
 * when it was saved. Both are written to a temporary file, forced to disk and moved into place
 * atomically, the JSON last, so a session file always describes a complete checkpoint.
 *
 * <p>The window's folder is {@code ~/.attnlab/autosave} unless its configuration names another
 * ({@code AppConfig}).
 */
public final class Autosave {
    /** The checkpoint's file name. */
    public static final String CHECKPOINT = "session.safetensors";
    /** The session description's file name. */
    public static final String SESSION = "session.json";
    private static final int VERSION = 1;
    private static final long MAX_SESSION_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What an autosaved session holds beyond its checkpoint.
     *
     * @param savedAt when it was saved
     * @param task    the task's name
     * @param preset  the preset's name
     * @param step    the model's step
     * @param probe   the probe's token ids
     * @param view    the name of the view (tab) that was open, or null
     */
    public record Session(Instant savedAt, String task, String preset, long step, int[] probe, String view) {
    }

    private final Path dir;

    /** @param dir the folder to keep the session in (created when first saved) */
    public Autosave(Path dir) {
        this.dir = dir;
    }

    /** @return the autosave of this user, in {@code ~/.attnlab/autosave} */
    public static Autosave forUser() {
        return new Autosave(Path.of(System.getProperty("user.home"), ".attnlab", "autosave"));
    }

    /** @return the folder */
    public Path dir() {
        return dir;
    }

    /** @return where the checkpoint goes */
    public Path checkpoint() {
        return dir.resolve(CHECKPOINT);
    }

    /** @return where the session description goes */
    public Path sessionFile() {
        return dir.resolve(SESSION);
    }

    /** Creates the folder if needed. @throws IOException if it cannot be created */
    public void prepare() throws IOException {
        Files.createDirectories(dir);
    }

    /**
     * Writes the session description (after the checkpoint was saved), atomically.
     *
     * @throws IOException if it cannot be written (the previous one is then intact)
     */
    public void write(Session s) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", "attnlab-session");
        o.put("version", VERSION);
        o.put("saved_at", s.savedAt().toString());
        o.put("task", s.task());
        o.put("preset", s.preset());
        o.put("step", s.step());
        ArrayNode probe = o.putArray("probe");
        for (int id : s.probe()) {
            probe.add(id);
        }
        if (s.view() != null) {
            o.put("view", s.view());
        }
        AtomicFiles.write(sessionFile(), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
    }

    /**
     * Reads the saved session, if there is one whose checkpoint exists.
     *
     * @return the session, or empty if none was saved
     * @throws IOException with one line naming the file and what is wrong, if the session file
     *     is malformed or its checkpoint is missing
     */
    public Optional<Session> read() throws IOException {
        Path f = sessionFile();
        byte[] bytes;
        try {
            if (Files.size(f) > MAX_SESSION_BYTES) {
                throw new IOException(f + ": too large for a session file (" + Files.size(f) + " bytes)");
            }
            bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        JsonNode o;
        try {
            o = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IOException(f + ": not JSON (" + e.getOriginalMessage().replace('\n', ' ') + ")");
        }
        if (o == null || !o.isObject() || !"attnlab-session".equals(o.path("format").asText())) {
            throw new IOException(f + ": not an Attention Lab session file (format is not attnlab-session)");
        }
        if (o.path("version").asInt(-1) != VERSION) {
            throw new IOException(f + ": session version " + o.path("version") + " is not supported (expected "
                    + VERSION + ")");
        }
        Instant at;
        try {
            at = Instant.parse(text(f, o, "saved_at"));
        } catch (DateTimeParseException e) {
            throw new IOException(f + ": saved_at is not a time (" + o.path("saved_at").asText() + ")");
        }
        JsonNode step = o.path("step");
        if (!step.canConvertToLong() || !step.isIntegralNumber() || step.asLong() < 0) {
            throw new IOException(f + ": step must be a non-negative integer (got " + step + ")");
        }
        JsonNode probe = o.path("probe");
        if (!probe.isArray() || probe.isEmpty() || probe.size() > 4096) {
            throw new IOException(f + ": probe must be a list of 1 to 4096 token ids");
        }
        int[] ids = new int[probe.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = probe.get(i);
            if (!id.isInt() || id.asInt() < 0) {
                throw new IOException(f + ": probe[" + i + "] is not a token id (" + id + ")");
            }
            ids[i] = id.asInt();
        }
        if (!Files.isRegularFile(checkpoint())) {
            throw new IOException(f + ": its checkpoint " + checkpoint().getFileName() + " is missing");
        }
        String view = o.hasNonNull("view") ? o.get("view").asText() : null;
        return Optional.of(new Session(at, text(f, o, "task"), text(f, o, "preset"), step.asLong(), ids, view));
    }

    private static String text(Path f, JsonNode o, String key) throws IOException {
        JsonNode n = o.get(key);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw new IOException(f + ": " + key + " is missing or not a string");
        }
        return n.asText();
    }

    /** Deletes the saved session (the user chose to start fresh). */
    public void discard() throws IOException {
        Files.deleteIfExists(sessionFile());
        Files.deleteIfExists(checkpoint());
        Files.deleteIfExists(org.attnlab.engine.train.TrainingHistoryFile.sidecar(checkpoint()));
    }
}
