package org.attnlab.engine.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The contents of a safetensors file (format: huggingface/safetensors): named tensors and the
 * optional string-to-string {@code __metadata__} table.
 *
 * <p>Immutable: the maps are unmodifiable copies. Tensors are ordered by name (Unicode code
 * point order, the order Python's {@code sorted} gives); metadata keeps the order it had in the
 * file (or in the map it was built from). The {@link StoredTensor} values are not copied, so
 * their arrays must not be modified by callers.
 */
public final class SafeTensorsFile {

    private final String sourceName;
    private final Map<String, StoredTensor> tensors;
    private final Map<String, String> metadata;

    /**
     * @param sourceName the file or source name, used in exception messages
     * @param tensors    the tensors by name (copied, re-ordered by name)
     * @param metadata   the metadata (copied, order kept); {@code null} means none
     * @throws NullPointerException if a name, tensor, key or value is {@code null}
     */
    public SafeTensorsFile(String sourceName, Map<String, StoredTensor> tensors, Map<String, String> metadata) {
        this.sourceName = Objects.requireNonNull(sourceName, "sourceName");
        TreeMap<String, StoredTensor> t = new TreeMap<>(SafeTensors.NAME_ORDER);
        for (Map.Entry<String, StoredTensor> e : Objects.requireNonNull(tensors, "tensors").entrySet()) {
            t.put(Objects.requireNonNull(e.getKey(), "tensor name"),
                    Objects.requireNonNull(e.getValue(), "tensor " + e.getKey()));
        }
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        if (metadata != null) {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                m.put(Objects.requireNonNull(e.getKey(), "metadata key"),
                        Objects.requireNonNull(e.getValue(), "metadata value for " + e.getKey()));
            }
        }
        this.tensors = Collections.unmodifiableMap(t);
        this.metadata = Collections.unmodifiableMap(m);
    }

    /** @return the file or source name this was read from (used in exception messages) */
    public String sourceName() {
        return sourceName;
    }

    /** @return the tensors by name, ordered by name; unmodifiable */
    public Map<String, StoredTensor> tensors() {
        return tensors;
    }

    /** @return the {@code __metadata__} entries in file order, empty if the file had none; unmodifiable */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * @param name the tensor name
     * @return the tensor
     * @throws SafeTensorsException if there is no tensor of that name (the message names it and the source)
     */
    public StoredTensor require(String name) throws SafeTensorsException {
        StoredTensor t = tensors.get(name);
        if (t == null) {
            StringBuilder sb = new StringBuilder("no tensor named '").append(name).append("' (the file holds ")
                    .append(tensors.size()).append(tensors.size() == 1 ? " tensor" : " tensors");
            int shown = 0;
            for (String n : tensors.keySet()) {
                sb.append(shown == 0 ? ": " : ", ");
                if (shown == 8) {
                    sb.append("...");
                    break;
                }
                sb.append(n);
                shown++;
            }
            throw new SafeTensorsException(sourceName, sb.append(')').toString());
        }
        return t;
    }

    /**
     * @param key a metadata key
     * @return the metadata value, or empty if the key is absent
     */
    public Optional<String> meta(String key) {
        return Optional.ofNullable(metadata.get(key));
    }

    /** Equal when tensors and metadata (including metadata order) are equal; the source name is ignored. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SafeTensorsFile other && tensors.equals(other.tensors)
                && metadata.equals(other.metadata)
                && java.util.List.copyOf(metadata.keySet()).equals(java.util.List.copyOf(other.metadata.keySet()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(tensors, metadata);
    }

    @Override
    public String toString() {
        return "SafeTensorsFile[" + sourceName + ", " + tensors.size() + " tensors, metadata " + metadata.keySet() + "]";
    }
}
