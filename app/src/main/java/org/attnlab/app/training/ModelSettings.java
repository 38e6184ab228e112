package org.attnlab.app.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import org.attnlab.engine.model.TransformerConfig;
import org.attnlab.engine.train.RunSpec;
import org.attnlab.engine.train.TrainingSettings;

/**
 * The settings sheet: an editor of a {@link RunSpec}. {@link #load} shows a spec's model and
 * training values and keeps the spec as the base; edits change only these properties;
 * {@link #toSpec} produces the edited spec through {@link RunSpec#with} (the values that differ
 * from the base, as {@code key=value}), so the sheet's validation is the run spec's parser's.
 * Enum-like settings hold the engine's JSON spellings ("rotary", "causal", "pre").
 */
public final class ModelSettings {
    /** LayerNorm choices: placement, or none at all. */
    public static final List<String> LAYER_NORMS = List.of("pre", "post", "none");
    public static final List<Integer> LAYER_CHOICES = List.of(1, 2, 3, 4, 5, 6);
    public static final List<Integer> HEAD_CHOICES = List.of(1, 2, 3, 4, 6, 8);
    public static final List<Integer> D_MODEL_CHOICES = List.of(16, 24, 32, 48, 64, 96, 128);
    public static final List<Double> LR_CHOICES = List.of(1e-4, 3e-4, 1e-3, 2e-3, 3e-3, 5e-3, 1e-2, 3e-2);
    public static final List<Integer> BATCH_CHOICES = List.of(8, 16, 32, 64, 128, 256);
    public static final List<Integer> STEP_CHOICES = List.of(300, 600, 1000, 1500, 2000, 3000, 5000, 10000, 20000);

    private final IntegerProperty nLayers = new SimpleIntegerProperty(this, "n_layers");
    private final IntegerProperty nHeads = new SimpleIntegerProperty(this, "n_heads");
    private final IntegerProperty dModel = new SimpleIntegerProperty(this, "d_model");
    private final StringProperty positional = new SimpleStringProperty(this, "positional_embedding_type");
    private final StringProperty attentionDir = new SimpleStringProperty(this, "attention_dir");
    private final StringProperty layerNorm = new SimpleStringProperty(this, "ln_placement");
    private final BooleanProperty attnOnly = new SimpleBooleanProperty(this, "attn_only");
    private final DoubleProperty learningRate = new SimpleDoubleProperty(this, "lr");
    private final IntegerProperty batchSize = new SimpleIntegerProperty(this, "batch_size");
    private final IntegerProperty steps = new SimpleIntegerProperty(this, "steps");
    private final ObjectProperty<Integer> seed = new SimpleObjectProperty<>(this, "seed", 1);
    private final StringProperty dtype = new SimpleStringProperty(this, "dtype", "f32");
    private RunSpec base;

    /** The precisions the sheet offers (training's {@code dtype}). */
    public static final List<String> DTYPES = List.of("f32", "f64");

    /** Shows {@code s}'s values and makes it the spec {@link #toSpec} edits. */
    public void load(RunSpec s) {
        base = s;
        TransformerConfig c = s.config();
        nLayers.set(c.nLayers());
        nHeads.set(c.nHeads());
        dModel.set(c.dModel());
        positional.set(c.positionalEmbeddingType().json());
        attentionDir.set(c.attentionDir().json());
        layerNorm.set(layerNormOf(c));
        attnOnly.set(c.attnOnly());
        learningRate.set(s.training().adamw().lr());
        batchSize.set(s.training().batchSize());
        steps.set(s.training().steps());
        seed.set((int) s.training().seed());
        dtype.set(s.training().precision().id());
    }

    /** @return the spec last {@link #load loaded} (what {@link #toSpec} edits), or null */
    public RunSpec base() {
        return base;
    }

    /**
     * @return the sheet's values as {@code key=value} overrides of {@link #base()}: only the
     *     values that differ from it, in the sheet's order (empty when nothing was edited)
     * @throws IllegalArgumentException if the seed is not a whole number
     */
    public Map<String, String> overrides() {
        Map<String, String> o = new LinkedHashMap<>();
        if (base == null) {
            return o;
        }
        TransformerConfig c = base.config();
        TrainingSettings t = base.training();
        put(o, "n_layers", nLayers.get(), c.nLayers());
        put(o, "n_heads", nHeads.get(), c.nHeads());
        put(o, "d_model", dModel.get(), c.dModel());
        put(o, "positional_embedding_type", positional.get(), c.positionalEmbeddingType().json());
        put(o, "attention_dir", attentionDir.get(), c.attentionDir().json());
        String ln = layerNorm.get();
        if (!java.util.Objects.equals(ln, layerNormOf(c))) {
            if ("none".equals(ln)) {
                o.put("normalization_type", "none");
            } else {
                if (!c.hasLayerNorm()) {
                    o.put("normalization_type", "LN");
                }
                if (ln == null || !ln.equals(c.lnPlacement().json())) {
                    o.put("ln_placement", String.valueOf(ln));
                }
            }
        }
        put(o, "attn_only", attnOnly.get(), c.attnOnly());
        put(o, "lr", learningRate.get(), t.adamw().lr());
        put(o, "batch_size", batchSize.get(), t.batchSize());
        put(o, "steps", steps.get(), t.steps());
        if (seed.get() == null) {
            throw new IllegalArgumentException("seed must be a whole number");
        }
        put(o, "seed", (long) seed.get(), t.seed());
        put(o, "dtype", dtype.get(), t.precision().id());
        return o;
    }

    /**
     * The loaded spec with this sheet's values: {@code base().with(overrides())}. Keys the sheet
     * does not show (task options, d_mlp, warmup, weight sharing, the curriculum) stay the base's,
     * and follow {@link RunSpec#with}'s rules (d_head follows d_model and n_heads).
     *
     * @throws IllegalArgumentException naming the setting at fault (e.g. d_model not divisible by n_heads)
     * @throws IllegalStateException if no spec was loaded
     */
    public RunSpec toSpec() {
        if (base == null) {
            throw new IllegalStateException("no run loaded into the settings sheet");
        }
        return base.with(overrides());
    }

    private static void put(Map<String, String> o, String key, Object value, Object was) {
        if (!java.util.Objects.equals(value, was)) {
            o.put(key, String.valueOf(value));
        }
    }

    private static String layerNormOf(TransformerConfig c) {
        return c.hasLayerNorm() ? c.lnPlacement().json() : "none";
    }

    /** @return every setting's property, for listening to any change */
    public List<ObservableValue<?>> all() {
        return List.of(nLayers, nHeads, dModel, positional, attentionDir, layerNorm, attnOnly, learningRate, batchSize,
                steps, seed, dtype);
    }

    public IntegerProperty nLayersProperty() {
        return nLayers;
    }

    public IntegerProperty nHeadsProperty() {
        return nHeads;
    }

    /** @return d_model */
    public IntegerProperty dModelProperty() {
        return dModel;
    }

    /** @return positional_embedding_type (JSON spelling) */
    public StringProperty positionalProperty() {
        return positional;
    }

    /** @return attention_dir (JSON spelling) */
    public StringProperty attentionDirProperty() {
        return attentionDir;
    }

    /** @return "pre", "post" or "none" (normalization_type null) */
    public StringProperty layerNormProperty() {
        return layerNorm;
    }

    public BooleanProperty attnOnlyProperty() {
        return attnOnly;
    }

    /** @return the peak learning rate */
    public DoubleProperty learningRateProperty() {
        return learningRate;
    }

    public IntegerProperty batchSizeProperty() {
        return batchSize;
    }

    /** @return the schedule's length (training pauses there) */
    public IntegerProperty stepsProperty() {
        return steps;
    }

    public ObjectProperty<Integer> seedProperty() {
        return seed;
    }

    /** @return the training precision, "f32" or "f64" */
    public StringProperty dtypeProperty() {
        return dtype;
    }
}
