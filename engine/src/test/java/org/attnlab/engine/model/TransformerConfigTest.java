package org.attnlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.attnlab.engine.attention.AttentionKernels;
import org.attnlab.engine.model.TransformerConfig.ActFn;
import org.attnlab.engine.model.TransformerConfig.AttentionDir;
import org.attnlab.engine.model.TransformerConfig.LnPlacement;
import org.attnlab.engine.model.TransformerConfig.Normalization;
import org.attnlab.engine.model.TransformerConfig.PositionalEmbedding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The configuration record, its builder defaults, its validation and its JSON form (docs/engine.md). */
class TransformerConfigTest {

    /** The exact JSON the PyTorch reference writes (json.dumps with sort_keys). */
    static final String PYTORCH_JSON = "{\"act_fn\": \"gelu_new\", \"attention_dir\": \"causal\", \"attention_type\": "
            + "\"softmax\", \"attn_only\": false, \"d_head\": 8, \"d_mlp\": 32, \"d_model\": 16, \"d_vocab\": 11, "
            + "\"eps\": 1e-05, \"ln_placement\": \"pre\", \"n_ctx\": 8, \"n_heads\": 2, \"n_layers\": 2, "
            + "\"normalization_type\": \"LN\", \"positional_embedding_type\": \"standard\", \"rotary_base\": 10000.0}";

    private static String message(Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage() != null && !ex.getMessage().isBlank(), "an empty message");
        return ex.getMessage();
    }

    private static void assertMentions(String message, String... words) {
        for (String w : words) {
            assertTrue(message.contains(w), "message should mention " + w + ": " + message);
        }
    }

    private static String baseJson(String extra) {
        return "{\"d_vocab\": 11, \"n_ctx\": 8, \"d_model\": 16, \"n_heads\": 2, \"n_layers\": 2"
                + (extra.isEmpty() ? "" : ", " + extra) + "}";
    }

    // ------------------------------------------------------------ defaults

    @Test
    void builderFillsInTheSpecificationDefaults() {
        TransformerConfig c = TransformerConfig.builder(11, 8, 16, 4, 3).build();
        assertEquals(11, c.dVocab());
        assertEquals(8, c.nCtx());
        assertEquals(16, c.dModel());
        assertEquals(4, c.nHeads());
        assertEquals(3, c.nLayers());
        assertEquals(4, c.dHead(), "d_head = d_model / n_heads");
        assertEquals(64, c.dMlp(), "d_mlp = 4 d_model");
        assertEquals(ActFn.GELU_NEW, c.actFn());
        assertEquals(Normalization.LN, c.normalizationType());
        assertEquals(LnPlacement.PRE, c.lnPlacement());
        assertEquals(PositionalEmbedding.STANDARD, c.positionalEmbeddingType());
        assertEquals(AttentionDir.CAUSAL, c.attentionDir());
        assertEquals(AttentionKernels.SOFTMAX, c.attentionType());
        assertFalse(c.attnOnly());
        assertEquals(10000.0, c.rotaryBase());
        assertEquals(1e-5, c.eps());
        assertFalse(c.weightSharing(), "weight_sharing: false");
        assertEquals(3, c.parameterLayers());
        assertTrue(c.hasLayerNorm());
        assertTrue(c.hasFinalLayerNorm());
        assertTrue(c.causal());
        assertEquals(16, c.headsWidth());
    }

    @Test
    void parseFillsInTheSameDefaults() {
        assertEquals(TransformerConfig.builder(11, 8, 16, 2, 2).build(), ConfigJson.parse(baseJson("")));
        assertEquals(TransformerConfig.builder(11, 8, 16, 2, 2).build(),
                ConfigJson.parse(baseJson("\"d_head\": null, \"d_mlp\": null")), "null d_head / d_mlp = default");
    }

    @Test
    void explicitDHeadNeedNotDivideDModel() {
        TransformerConfig c = TransformerConfig.builder(5, 4, 10, 3, 1).dHead(4).dMlp(7).build();
        assertEquals(4, c.dHead());
        assertEquals(7, c.dMlp());
        assertEquals(12, c.headsWidth());
    }

    @Test
    void derivedFlags() {
        TransformerConfig post = TransformerConfig.builder(5, 4, 8, 2, 1).lnPlacement(LnPlacement.POST).build();
        assertTrue(post.hasLayerNorm());
        assertFalse(post.hasFinalLayerNorm(), "post-LN has no ln_final");
        TransformerConfig none = TransformerConfig.builder(5, 4, 8, 2, 1).normalizationType(Normalization.NONE).build();
        assertFalse(none.hasLayerNorm());
        assertFalse(none.hasFinalLayerNorm());
        assertFalse(TransformerConfig.builder(5, 4, 8, 2, 1).attentionDir(AttentionDir.BIDIRECTIONAL).build().causal());
    }

    // ------------------------------------------------------------ rejection

    @Test
    void dModelNotDivisibleByNHeads() {
        String m = message(() -> TransformerConfig.builder(11, 8, 10, 3, 1).build());
        assertMentions(m, "d_model", "n_heads");
        assertMentions(message(() -> ConfigJson.parse("{\"d_vocab\": 11, \"n_ctx\": 8, \"d_model\": 10, "
                + "\"n_heads\": 3, \"n_layers\": 1}")), "d_model", "n_heads");
    }

    @Test
    void unknownActFn() {
        assertMentions(message(() -> ConfigJson.parse(baseJson("\"act_fn\": \"gelu\""))), "act_fn");
        assertMentions(message(() -> ConfigJson.parse(baseJson("\"act_fn\": \"swish\""))), "act_fn", "gelu_new",
                "relu");
    }

    @Test
    void nonPositiveSizesNameTheirKey() {
        assertMentions(message(() -> TransformerConfig.builder(11, 0, 16, 2, 1).build()), "n_ctx");
        assertMentions(message(() -> TransformerConfig.builder(11, -3, 16, 2, 1).build()), "n_ctx");
        assertMentions(message(() -> ConfigJson.parse("{\"d_vocab\": 11, \"n_ctx\": 0, \"d_model\": 16, "
                + "\"n_heads\": 2, \"n_layers\": 1}")), "n_ctx");
        assertMentions(message(() -> TransformerConfig.builder(0, 8, 16, 2, 1).build()), "d_vocab");
        assertMentions(message(() -> TransformerConfig.builder(11, 8, 0, 2, 1).build()), "d_model");
        assertMentions(message(() -> TransformerConfig.builder(11, 8, 16, 0, 1).build()), "n_heads");
        assertMentions(message(() -> TransformerConfig.builder(11, 8, 16, 2, 0).build()), "n_layers");
        assertMentions(message(() -> TransformerConfig.builder(11, 8, 16, 2, 1).dHead(0).build()), "d_head");
        assertMentions(message(() -> TransformerConfig.builder(11, 8, 16, 2, 1).dMlp(-1).build()), "d_mlp");
    }

    @Test
    void rotaryNeedsAnEvenDHead() {
        assertMentions(message(() -> TransformerConfig.builder(11, 8, 6, 2, 1)
                .positionalEmbeddingType(PositionalEmbedding.ROTARY).build()), "d_head");
        assertMentions(message(() -> ConfigJson.parse(baseJson("\"d_head\": 5, \"positional_embedding_type\": "
                + "\"rotary\""))), "d_head");
        // odd d_head is fine without rotary
        assertEquals(5, ConfigJson.parse(baseJson("\"d_head\": 5")).dHead());
    }

    @Test
    void epsAndRotaryBaseMustBePositive() {
        assertMentions(message(() -> TransformerConfig.builder(11, 8, 16, 2, 1).eps(-1e-5).build()), "eps");
        assertMentions(message(() -> TransformerConfig.builder(11, 8, 16, 2, 1).eps(0).build()), "eps");
        assertMentions(message(() -> TransformerConfig.builder(11, 8, 16, 2, 1).eps(Double.NaN).build()), "eps");
        assertMentions(message(() -> ConfigJson.parse(baseJson("\"eps\": -1e-05"))), "eps");
        assertMentions(message(() -> TransformerConfig.builder(11, 8, 16, 2, 1).rotaryBase(0).build()),
                "rotary_base");
    }

    @Test
    void alibiHasNoLinearForm() {
        assertMentions(message(() -> TransformerConfig.builder(11, 8, 16, 2, 1)
                .positionalEmbeddingType(PositionalEmbedding.ALIBI).attentionType(AttentionKernels.LINEAR).build()),
                "alibi", "linear", "positional_embedding_type", "attention_type");
        assertMentions(message(() -> ConfigJson.parse(baseJson("\"positional_embedding_type\": \"alibi\", "
                + "\"attention_type\": \"linear\""))), "positional_embedding_type", "attention_type");
    }

    @Test
    void unknownAttentionTypeNamesTheRegisteredOnes() {
        String m = message(() -> ConfigJson.parse(baseJson("\"attention_type\": \"aft_full\"")));
        assertMentions(m, "attention_type", "aft_full");
        for (String type : AttentionKernels.types()) {
            assertMentions(m, "\"" + type + "\"");
        }
        assertMentions(message(() -> TransformerConfig.builder(11, 8, 16, 2, 1).attentionType("rwkv")), "rwkv",
                "softmax", "linear");
        assertEquals(AttentionKernels.LINEAR, TransformerConfig.builder(11, 8, 16, 2, 1).attentionType("linear")
                .build().attentionType());
    }

    @Test
    void weightSharingIsAConfigurationKey() {
        TransformerConfig shared = ConfigJson.parse(baseJson("\"weight_sharing\": true"));
        assertTrue(shared.weightSharing());
        assertEquals(1, shared.parameterLayers());
        assertEquals(TransformerConfig.builder(11, 8, 16, 2, 2).weightSharing(true).build(), shared);
        assertTrue(ConfigJson.toJson(shared).contains("\"weight_sharing\":true"), ConfigJson.toJson(shared));
        assertEquals(shared, ConfigJson.parse(ConfigJson.toJson(shared)));
        assertFalse(ConfigJson.parse(baseJson("\"weight_sharing\": false")).weightSharing());
        assertFalse(ConfigJson.toJson(TransformerConfig.builder(11, 8, 16, 2, 2).build()).contains("weight_sharing"),
                "an unshared model's JSON has exactly the specification's keys");
        assertTrue(ConfigJson.with(TransformerConfig.builder(11, 8, 16, 2, 2).build(), "weight_sharing", "true")
                .weightSharing());
        assertEquals(shared.toBuilder().build(), shared);
        assertMentions(message(() -> ConfigJson.parse(baseJson("\"weight_sharing\": 1"))), "weight_sharing");
        assertEquals(Boolean.TRUE, shared.toMap().get("weight_sharing"));
    }

    @Test
    void unknownKeyIsNamed() {
        assertMentions(message(() -> ConfigJson.parse(baseJson("\"d_modle\": 16"))), "d_modle");
        assertMentions(message(() -> ConfigJson.parse(baseJson("\"dropout\": 0.1"))), "dropout");
    }

    @Test
    void missingRequiredKeyIsNamed() {
        for (String key : new String[] {"d_vocab", "n_ctx", "d_model", "n_heads", "n_layers"}) {
            String json = baseJson("").replaceAll("\"" + key + "\": \\d+(, )?", "").replace(", }", "}");
            assertFalse(json.contains(key), json);
            assertMentions(message(() -> ConfigJson.parse(json)), key);
        }
        assertMentions(message(() -> ConfigJson.parse(baseJson("").replace("\"n_layers\": 2", "\"n_layers\": null"))),
                "n_layers");
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("\"d_head\": \"8\"", "d_head"),
                Arguments.of("\"d_mlp\": 32.5", "d_mlp"),
                Arguments.of("\"d_mlp\": true", "d_mlp"),
                Arguments.of("\"act_fn\": 1", "act_fn"),
                Arguments.of("\"act_fn\": null", "act_fn"),
                Arguments.of("\"normalization_type\": \"RMS\"", "normalization_type"),
                Arguments.of("\"normalization_type\": 0", "normalization_type"),
                Arguments.of("\"ln_placement\": \"middle\"", "ln_placement"),
                Arguments.of("\"positional_embedding_type\": \"learned\"", "positional_embedding_type"),
                Arguments.of("\"attention_dir\": \"left\"", "attention_dir"),
                Arguments.of("\"attention_type\": [\"softmax\"]", "attention_type"),
                Arguments.of("\"attn_only\": \"false\"", "attn_only"),
                Arguments.of("\"attn_only\": 0", "attn_only"),
                Arguments.of("\"rotary_base\": \"10000\"", "rotary_base"),
                Arguments.of("\"eps\": \"1e-5\"", "eps"),
                Arguments.of("\"eps\": null", "eps"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongTypes")
    void wrongTypesAreRejectedNamingTheKey(String entry, String key) {
        assertMentions(message(() -> ConfigJson.parse(baseJson(entry))), key);
    }

    @Test
    void wrongTypeOfARequiredKey() {
        assertMentions(message(() -> ConfigJson.parse(baseJson("").replace("\"d_model\": 16", "\"d_model\": \"16\""))),
                "d_model");
        assertMentions(message(() -> ConfigJson.parse(baseJson("").replace("\"n_ctx\": 8", "\"n_ctx\": 8.5"))),
                "n_ctx");
        // an integral float is accepted as an integer (Python may write 16.0)
        assertEquals(16, ConfigJson.parse(baseJson("").replace("\"d_model\": 16", "\"d_model\": 16.0")).dModel());
    }

    @Test
    void notAnObjectOrNotJson() {
        message(() -> ConfigJson.parse("[1, 2]"));
        message(() -> ConfigJson.parse("{\"d_vocab\": "));
        message(() -> ConfigJson.parse(""));
    }

    // ------------------------------------------------------------ JSON

    @Test
    void parsesTheExactJsonPyTorchWrote() {
        TransformerConfig c = ConfigJson.parse(PYTORCH_JSON);
        TransformerConfig want = TransformerConfig.builder(11, 8, 16, 2, 2).dHead(8).dMlp(32).build();
        assertEquals(want, c);
        assertEquals(1e-5, c.eps());
        assertEquals(10000.0, c.rotaryBase());
    }

    @Test
    void parsesNullNormalization() {
        String json = PYTORCH_JSON.replace("\"normalization_type\": \"LN\"", "\"normalization_type\": null");
        assertTrue(json.contains("null"));
        TransformerConfig c = ConfigJson.parse(json);
        assertEquals(Normalization.NONE, c.normalizationType());
        assertFalse(c.hasLayerNorm());
        assertEquals(TransformerConfig.builder(11, 8, 16, 2, 2).dHead(8).dMlp(32)
                .normalizationType(Normalization.NONE).build(), c);
    }

    @Test
    void parsesEveryEnumSpelling() {
        TransformerConfig c = ConfigJson.parse(baseJson("\"act_fn\": \"relu\", \"ln_placement\": \"post\", "
                + "\"positional_embedding_type\": \"rotary\", \"attention_dir\": \"bidirectional\", "
                + "\"attention_type\": \"linear\", \"attn_only\": true, \"rotary_base\": 500, \"eps\": 1e-6"));
        assertEquals(ActFn.RELU, c.actFn());
        assertEquals(LnPlacement.POST, c.lnPlacement());
        assertEquals(PositionalEmbedding.ROTARY, c.positionalEmbeddingType());
        assertEquals(AttentionDir.BIDIRECTIONAL, c.attentionDir());
        assertEquals(AttentionKernels.LINEAR, c.attentionType());
        assertTrue(c.attnOnly());
        assertEquals(500.0, c.rotaryBase());
        assertEquals(1e-6, c.eps());
        for (PositionalEmbedding pe : PositionalEmbedding.values()) {
            assertEquals(pe, ConfigJson.parse(baseJson("\"positional_embedding_type\": \"" + pe.json() + "\""))
                    .positionalEmbeddingType());
        }
    }

    static List<TransformerConfig> variety() {
        List<TransformerConfig> l = new ArrayList<>();
        l.add(TransformerConfig.builder(11, 8, 16, 2, 2).build());
        l.add(TransformerConfig.builder(3, 1, 6, 3, 1).dHead(4).dMlp(5).actFn(ActFn.RELU)
                .normalizationType(Normalization.NONE).positionalEmbeddingType(PositionalEmbedding.ROTARY)
                .attentionDir(AttentionDir.BIDIRECTIONAL).attentionType(AttentionKernels.LINEAR).attnOnly(true)
                .rotaryBase(123.456).eps(3.3e-7).build());
        l.add(TransformerConfig.builder(11, 8, 16, 2, 4).weightSharing(true).build());
        l.add(TransformerConfig.builder(50, 64, 32, 4, 3).lnPlacement(LnPlacement.POST)
                .positionalEmbeddingType(PositionalEmbedding.ALIBI).eps(0.1).build());
        l.add(TransformerConfig.builder(7, 5, 8, 1, 1).positionalEmbeddingType(PositionalEmbedding.SINUSOIDAL)
                .build());
        l.add(TransformerConfig.builder(7, 5, 8, 2, 1).positionalEmbeddingType(PositionalEmbedding.NONE).build());
        return l;
    }

    @ParameterizedTest
    @MethodSource("variety")
    void jsonRoundTripGivesAnEqualRecord(TransformerConfig c) {
        String json = ConfigJson.toJson(c);
        assertEquals(c, ConfigJson.parse(json), json);
        assertEquals(json, ConfigJson.toJson(ConfigJson.parse(json)), "stable");
        for (String key : new String[] {"d_vocab", "n_ctx", "d_model", "n_heads", "n_layers", "d_head", "d_mlp",
            "act_fn", "normalization_type", "ln_placement", "positional_embedding_type", "attention_dir",
            "attention_type", "attn_only", "rotary_base", "eps"}) {
            assertTrue(json.contains("\"" + key + "\""), "toJson writes every key: missing " + key + " in " + json);
        }
        assertEquals(c, c.toBuilder().build(), "toBuilder");
    }

    @Test
    void toJsonWritesNullForNoNormalization() {
        String json = ConfigJson.toJson(TransformerConfig.builder(5, 4, 8, 2, 1)
                .normalizationType(Normalization.NONE).build());
        assertTrue(json.replace(" ", "").contains("\"normalization_type\":null"), json);
    }

    // ------------------------------------------------------------ overrides

    @Test
    void withOverridesOneKey() {
        TransformerConfig c = TransformerConfig.builder(11, 8, 16, 2, 2).build();
        assertEquals(3, ConfigJson.with(c, "n_layers", "3").nLayers());
        assertEquals(ActFn.RELU, ConfigJson.with(c, "act_fn", "relu").actFn());
        assertEquals(PositionalEmbedding.ROTARY, ConfigJson.with(c, "positional_embedding_type", "rotary")
                .positionalEmbeddingType());
        assertEquals(Normalization.NONE, ConfigJson.with(c, "normalization_type", "null").normalizationType());
        assertEquals(Normalization.NONE, ConfigJson.with(c, "normalization_type", "none").normalizationType());
        assertEquals(Normalization.LN, ConfigJson.with(ConfigJson.with(c, "normalization_type", "none"),
                "normalization_type", "LN").normalizationType());
        assertTrue(ConfigJson.with(c, "attn_only", "true").attnOnly());
        assertEquals(1e-6, ConfigJson.with(c, "eps", "1e-6").eps());
        assertEquals(500.0, ConfigJson.with(c, "rotary_base", "500").rotaryBase());
        assertEquals(AttentionDir.BIDIRECTIONAL, ConfigJson.with(c, "attention_dir", " bidirectional ")
                .attentionDir());
        // everything else unchanged
        TransformerConfig changed = ConfigJson.with(c, "n_layers", "3");
        assertEquals(c.toBuilder().nLayers(3).build(), changed);
    }

    @Test
    void withDModelOrNHeadsKeepsDefaultsFollowing() {
        TransformerConfig c = TransformerConfig.builder(11, 8, 16, 2, 2).build();
        TransformerConfig wider = ConfigJson.with(c, "d_model", "32");
        assertEquals(32, wider.dModel());
        assertEquals(16, wider.dHead(), "default d_head follows d_model");
        assertEquals(128, wider.dMlp(), "default d_mlp follows d_model");
        TransformerConfig heads = ConfigJson.with(c, "n_heads", "4");
        assertEquals(4, heads.dHead(), "default d_head follows n_heads");
        assertEquals(64, heads.dMlp());
        // explicitly set values stay
        TransformerConfig explicit = TransformerConfig.builder(11, 8, 16, 2, 2).dHead(5).dMlp(7).build();
        TransformerConfig e2 = ConfigJson.with(explicit, "d_model", "32");
        assertEquals(5, e2.dHead());
        assertEquals(7, e2.dMlp());
    }

    @Test
    void withRejectsNamingTheKey() {
        TransformerConfig c = TransformerConfig.builder(11, 8, 16, 2, 2).build();
        assertMentions(message(() -> ConfigJson.with(c, "n_layer", "3")), "n_layer");
        assertMentions(message(() -> ConfigJson.with(c, "act_fn", "tanh")), "act_fn");
        assertMentions(message(() -> ConfigJson.with(c, "n_ctx", "0")), "n_ctx");
        assertMentions(message(() -> ConfigJson.with(c, "eps", "-1")), "eps");
        assertMentions(message(() -> ConfigJson.with(c, "n_heads", "3")), "d_model", "n_heads");
        assertMentions(message(() -> ConfigJson.with(c, "n_layers", "two")), "n_layers");
        assertMentions(message(() -> ConfigJson.with(c, "eps", "1.2.3")), "eps");
        assertMentions(message(() -> ConfigJson.with(c, "attn_only", "yes")), "attn_only");
    }
}
