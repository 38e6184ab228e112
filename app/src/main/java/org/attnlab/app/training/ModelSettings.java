package org.attnlab.app.training;

import java.util.List;
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
import org.attnlab.engine.model.TransformerConfig.AttentionDir;
import org.attnlab.engine.model.TransformerConfig.LnPlacement;
import org.attnlab.engine.model.TransformerConfig.Normalization;
import org.attnlab.engine.model.TransformerConfig.PositionalEmbedding;
import org.attnlab.engine.optim.AdamW;
import org.attnlab.engine.tasks.Task;
import org.attnlab.engine.train.TrainingSettings;

/**
 * The editable model and training settings shown in the property sheet. Edits change only these
 * properties; {@link #toSetup} turns them into a validated {@link RunSetup} when the user
 * resets. Enum-like settings hold the engine's JSON spellings ("rotary", "causal", "pre").
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

    /** Shows {@code s}'s values. */
    public void load(RunSetup s) {
        TransformerConfig c = s.config();
        nLayers.set(c.nLayers());
        nHeads.set(c.nHeads());
        dModel.set(c.dModel());
        positional.set(c.positionalEmbeddingType().json());
        attentionDir.set(c.attentionDir().json());
        layerNorm.set(c.hasLayerNorm() ? c.lnPlacement().json() : "none");
        attnOnly.set(c.attnOnly());
        learningRate.set(s.settings().adamw().lr());
        batchSize.set(s.settings().batchSize());
        steps.set(s.settings().steps());
        seed.set((int) s.settings().seed());
    }

    /**
     * The settings applied to a base run: the base's task, vocabulary size, context and other
     * keys, with this sheet's values; d_head and d_mlp follow d_model.
     *
     * @throws IllegalArgumentException naming the setting at fault (e.g. d_model not divisible by n_heads)
     */
    public RunSetup toSetup(RunSetup base) {
        Task task = base.task();
        TransformerConfig.Builder b = base.config().toBuilder()
                .nLayers(nLayers.get()).nHeads(nHeads.get()).dModel(dModel.get()).dHead(null).dMlp(null)
                .positionalEmbeddingType(enumOf(PositionalEmbedding.values(), positional.get(), "positional encoding"))
                .attentionDir(enumOf(AttentionDir.values(), attentionDir.get(), "attention direction"))
                .attnOnly(attnOnly.get());
        if ("none".equals(layerNorm.get())) {
            b.normalizationType(Normalization.NONE);
        } else {
            b.normalizationType(Normalization.LN)
                    .lnPlacement(enumOf(LnPlacement.values(), layerNorm.get(), "LayerNorm"));
        }
        TransformerConfig config = b.build();
        TrainingSettings old = base.settings();
        AdamW.Settings a = old.adamw();
        if (!(learningRate.get() > 0)) {
            throw new IllegalArgumentException("learning rate must be positive");
        }
        if (seed.get() == null) {
            throw new IllegalArgumentException("seed must be a whole number");
        }
        int n = steps.get();
        if (n < 1) {
            throw new IllegalArgumentException("steps must be at least 1");
        }
        TrainingSettings s = new TrainingSettings(
                new AdamW.Settings(learningRate.get(), a.beta1(), a.beta2(), a.eps(), a.weightDecay()),
                batchSize.get(), n, Math.min(old.warmupSteps(), n), old.minLrFraction(), old.gradClip(),
                old.evalEvery(), old.evalBatchSize(), seed.get());
        return new RunSetup(base.presetName(), task, config, s);
    }

    private static <E extends Enum<E>> E enumOf(E[] values, String json, String what) {
        for (E e : values) {
            String j = e instanceof PositionalEmbedding p ? p.json()
                    : e instanceof AttentionDir d ? d.json()
                    : e instanceof LnPlacement l ? l.json() : e.name();
            if (j.equals(json)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + json + "'");
    }

    /** @return every setting's property, for listening to any change */
    public List<ObservableValue<?>> all() {
        return List.of(nLayers, nHeads, dModel, positional, attentionDir, layerNorm, attnOnly, learningRate, batchSize,
                steps, seed);
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
}
