package org.attnlab.engine.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes {@link TransformerConfig} as the JSON object of the engine specification
 * (docs/engine.md, "Configuration"), and applies {@code key=value} overrides as typed on a
 * command line. {@code attention_type} is resolved through {@link AttentionTypes}; the
 * project's {@code weight_sharing} is written only when true, so an unshared model's JSON has
 * exactly the specification's keys.
 */
public final class ConfigJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> KEYS = Set.of("d_vocab", "n_ctx", "d_model", "n_heads", "n_layers", "d_head",
            "d_mlp", "act_fn", "normalization_type", "ln_placement", "positional_embedding_type", "attention_dir",
            "attention_type", "attn_only", "rotary_base", "eps", "weight_sharing");

    private ConfigJson() {
    }

    /**
     * @param json a JSON object with the specification's keys
     * @return the validated configuration (absent optional keys take their defaults)
     * @throws IllegalArgumentException naming the key when JSON is malformed, a required key is
     *     missing, a key is unknown, a value has the wrong type, or a value is out of range
     */
    public static TransformerConfig parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("config is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("config must be a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown config key '" + key + "' (known: " + String.join(", ",
                        new java.util.TreeSet<>(KEYS)) + ")");
            }
        }
        TransformerConfig.Builder b = TransformerConfig.builder(requiredInt(root, "d_vocab"),
                requiredInt(root, "n_ctx"), requiredInt(root, "d_model"), requiredInt(root, "n_heads"),
                requiredInt(root, "n_layers"));
        if (root.has("d_head") && !root.get("d_head").isNull()) b.dHead(intValue(root, "d_head"));
        if (root.has("d_mlp") && !root.get("d_mlp").isNull()) b.dMlp(intValue(root, "d_mlp"));
        if (root.has("act_fn")) b.actFn(enumValue(root, "act_fn", TransformerConfig.ActFn.values()));
        if (root.has("normalization_type")) {
            b.normalizationType(root.get("normalization_type").isNull() ? TransformerConfig.Normalization.NONE
                    : enumValue(root, "normalization_type", TransformerConfig.Normalization.values()));
        }
        if (root.has("ln_placement")) b.lnPlacement(enumValue(root, "ln_placement",
                TransformerConfig.LnPlacement.values()));
        if (root.has("positional_embedding_type")) b.positionalEmbeddingType(enumValue(root,
                "positional_embedding_type", TransformerConfig.PositionalEmbedding.values()));
        if (root.has("attention_dir")) b.attentionDir(enumValue(root, "attention_dir",
                TransformerConfig.AttentionDir.values()));
        if (root.has("attention_type")) b.attentionType(attentionType(root.get("attention_type")));
        if (root.has("attn_only")) b.attnOnly(booleanValue(root, "attn_only"));
        if (root.has("weight_sharing")) b.weightSharing(booleanValue(root, "weight_sharing"));
        if (root.has("rotary_base")) b.rotaryBase(doubleValue(root, "rotary_base"));
        if (root.has("eps")) b.eps(doubleValue(root, "eps"));
        return b.build();
    }

    /** @return the configuration as compact JSON with every key of the specification */
    public static String toJson(TransformerConfig config) {
        ObjectNode node = MAPPER.createObjectNode();
        for (Map.Entry<String, Object> e : config.toMap().entrySet()) {
            Object v = e.getValue();
            if (e.getKey().equals("weight_sharing") && Boolean.FALSE.equals(v)) {
                continue;                        // the default; the specification's keys only
            }
            if (v == null) node.putNull(e.getKey());
            else if (v instanceof Integer i) node.put(e.getKey(), i);
            else if (v instanceof Double d) node.put(e.getKey(), d);
            else if (v instanceof Boolean bo) node.put(e.getKey(), bo);
            else node.put(e.getKey(), v.toString());
        }
        return node.toString();
    }

    /**
     * Applies one {@code key=value} override, e.g. {@code n_layers=3} or
     * {@code positional_embedding_type=rotary}; {@code null} or {@code none} clears
     * normalization_type.
     *
     * @return the new, validated configuration
     * @throws IllegalArgumentException naming the key when the key is unknown or the value invalid
     */
    public static TransformerConfig with(TransformerConfig config, String key, String value) {
        return with(config, Map.of(key, value));
    }

    /**
     * Applies several {@code key=value} overrides at once, so that e.g. {@code d_model=64} and
     * {@code n_heads=4} are checked together, not one after the other. d_head and d_mlp follow
     * a changed d_model / n_heads unless they were set explicitly before or are overridden too.
     *
     * @return the new, validated configuration
     * @throws IllegalArgumentException naming the key when a key is unknown or a value invalid
     */
    public static TransformerConfig with(TransformerConfig config, Map<String, String> overrides) {
        ObjectNode node = (ObjectNode) readUnchecked(toJson(config));
        boolean followHead = config.dHead() * config.nHeads() == config.dModel();
        boolean followMlp = config.dMlp() == 4 * config.dModel();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown config key '" + key + "'");
            }
            node.set(key, parseValue(key, e.getValue()));
        }
        if (followHead && !overrides.containsKey("d_head")
                && (overrides.containsKey("d_model") || overrides.containsKey("n_heads"))) {
            node.remove("d_head");
        }
        if (followMlp && !overrides.containsKey("d_mlp") && overrides.containsKey("d_model")) {
            node.remove("d_mlp");
        }
        return parse(node.toString());
    }

    private static JsonNode parseValue(String key, String value) {
        String v = value.trim();
        JsonNode parsed;
        if (key.equals("normalization_type") && (v.equalsIgnoreCase("null") || v.equalsIgnoreCase("none"))) {
            parsed = MAPPER.nullNode();
        } else if (v.matches("-?\\d{1,18}")) {
            parsed = MAPPER.getNodeFactory().numberNode(Long.parseLong(v));
        } else if (v.matches("-?[0-9.]+([eE][-+]?\\d+)?")) {
            try {
                parsed = MAPPER.getNodeFactory().numberNode(Double.parseDouble(v));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + ": '" + value + "' is not a number");
            }
        } else if (v.equals("true") || v.equals("false")) {
            parsed = MAPPER.getNodeFactory().booleanNode(Boolean.parseBoolean(v));
        } else {
            parsed = MAPPER.getNodeFactory().textNode(v);
        }
        return parsed;
    }

    private static JsonNode readUnchecked(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int requiredInt(JsonNode root, String key) {
        if (!root.has(key) || root.get(key).isNull()) {
            throw new IllegalArgumentException("config is missing the required key " + key);
        }
        return intValue(root, key);
    }

    private static int intValue(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n.isIntegralNumber() && n.canConvertToInt()) return n.intValue();
        if (n.isFloatingPointNumber() && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) < Integer.MAX_VALUE) {
            return (int) n.doubleValue();
        }
        throw new IllegalArgumentException(key + " must be an integer (got " + n + ")");
    }

    private static boolean booleanValue(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (!n.isBoolean()) throw new IllegalArgumentException(key + " must be true or false (got " + n + ")");
        return n.booleanValue();
    }

    /** attention_type: a registered type's string. */
    private static AttentionType attentionType(JsonNode n) {
        if (n.isTextual()) {
            for (AttentionType k : AttentionTypes.all()) {
                if (k.type().equals(n.textValue())) {
                    return k;
                }
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (AttentionType k : AttentionTypes.all()) {
            allowed.append(allowed.length() > 0 ? ", " : "").append('"').append(k.type()).append('"');
        }
        throw new IllegalArgumentException("unknown attention_type " + n + " (expected one of " + allowed + ")");
    }

    private static double doubleValue(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (!n.isNumber()) throw new IllegalArgumentException(key + " must be a number (got " + n + ")");
        return n.doubleValue();
    }

    private static <E extends Enum<E>> E enumValue(JsonNode root, String key, E[] values) {
        JsonNode n = root.get(key);
        StringBuilder allowed = new StringBuilder();
        for (E e : values) {
            String json = jsonOf(e);
            if (allowed.length() > 0) allowed.append(", ");
            if (json == null) {                  // spelled as JSON null, handled by the caller
                allowed.append("null");
                continue;
            }
            if (n.isTextual() && n.textValue().equals(json)) return e;
            allowed.append('"').append(json).append('"');
        }
        throw new IllegalArgumentException("unknown " + key + " " + n + " (expected one of " + allowed + ")");
    }

    private static String jsonOf(Enum<?> e) {
        if (e instanceof TransformerConfig.ActFn a) return a.json();
        if (e instanceof TransformerConfig.Normalization a) return a.json();
        if (e instanceof TransformerConfig.LnPlacement a) return a.json();
        if (e instanceof TransformerConfig.PositionalEmbedding a) return a.json();
        if (e instanceof TransformerConfig.AttentionDir a) return a.json();
        throw new IllegalStateException("not a config enum: " + e);
    }
}
