package org.attnlab.tests;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaAccess.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.attnlab.engine.compute.Precision;
import org.attnlab.engine.compute.Simd;

/**
 * The design's rules (issue 13), checked by ArchUnit on the compiled classes of the product:
 * engine, lessons and app (their main classes only; test classes and the tools module are not
 * part of it). Each rule says why in its {@code because}. What ArchUnit cannot see is checked
 * elsewhere: the engine's pom ({@link EngineHasNoJavaFxTest}) and inline CSS in the app's
 * sources ({@link WindowCompositionTest}).
 */
@AnalyzeClasses(packages = "org.attnlab", importOptions = ArchitectureTest.ProductClasses.class)
class ArchitectureTest {
    /** The window's features: each may use the shared packages, and lessons may use classroom mode. */
    static final Map<String, Set<String>> FEATURES = Map.of(
            "inside", Set.of(), "interventions", Set.of(), "lessons", Set.of("classroom"), "classroom", Set.of());
    /** App packages every part of the window may use; they use no feature and not the root. */
    static final List<String> SHARED = List.of("common", "training", "attention", "probe", "session", "window");
    /** The root package: the composition root ({@code AttnLabWindow}) and the frame. */
    static final String ROOT = "org.attnlab.app";

    /**
     * The product's main classes: no test classes, whether Maven gives the engine's test-jar as
     * {@code target/test-classes} ({@code mvn test}) or as {@code -tests.jar} ({@code mvn verify}).
     */
    static final class ProductClasses implements ImportOption {
        private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar!/.*");

        @Override
        public boolean includes(Location location) {
            return new DoNotIncludeTests().includes(location) && !location.matches(TEST_JAR);
        }
    }

    /** (a) */
    @ArchTest
    static final ArchRule engineAndLessonsUseNoJavaFx = noClasses()
            .that().resideInAnyPackage("org.attnlab.engine..", "org.attnlab.lessons..")
            .should().dependOnClassesThat().resideInAPackage("javafx..")
            .because("the engine is pure computation (EJML) and the lessons are a file format: both run headless, "
                    + "in the command line, the tests and any other front end; the window reads them, they never "
                    + "draw (TensorFlow Playground's nn.ts imports nothing)");

    /**
     * Slices for the cycle rule: a module's root package ({@code engine}, {@code lessons},
     * {@code app}) or the package one level below it with its sub-packages ({@code engine.model},
     * {@code app.inside}).
     */
    static final SliceAssignment PACKAGES = new SliceAssignment() {
        private final Pattern pkg = Pattern.compile("org\\.attnlab\\.(engine|lessons|app)(?:\\.([a-z0-9_]+))?(?:\\..*)?");

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            Matcher m = pkg.matcher(c.getPackageName());
            if (!m.matches()) {
                return SliceIdentifier.ignore();
            }
            return SliceIdentifier.of(m.group(2) == null ? m.group(1) : m.group(1) + "." + m.group(2));
        }

        @Override
        public String getDescription() {
            return "the packages of engine, lessons and app, one level below each module's root (and the roots)";
        }
    };

    /** (b) */
    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().assignedFrom(PACKAGES).should().beFreeOfCycles()
            .because("packages in layers can be read, tested and replaced from the bottom up; a cycle makes "
                    + "every package in it one unit (issue 13 found model, attention and compute tied in one, and "
                    + "the window's frame and its features calling each other)");

    /** (c) a feature uses the shared packages (and its allowed partner), never the root or another feature */
    @ArchTest
    static final ArchRule featuresReachEachOtherOnlyThroughTheCompositionRoot = featureRules();

    private static ArchRule featureRules() {
        List<ArchRule> rules = new ArrayList<>();
        for (var f : FEATURES.entrySet()) {
            List<String> forbidden = new ArrayList<>(List.of(ROOT));
            for (String other : FEATURES.keySet()) {
                if (!other.equals(f.getKey()) && !f.getValue().contains(other)) {
                    forbidden.add(ROOT + "." + other + "..");
                }
            }
            rules.add(noClasses().that().resideInAPackage(ROOT + "." + f.getKey() + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new)));
        }
        return CompositeArchRule.of(rules).because("a feature gets what it needs from the window through its "
                + "WindowContext and the shared view models; the composition root (AttnLabWindow) is the one place "
                + "that wires features together, so a feature can be added, removed or tested alone (JabRef's "
                + "composition root)");
    }

    /** (c) the shared packages depend on no feature and not on the root */
    @ArchTest
    static final ArchRule sharedPackagesUseNoFeatureAndNotTheRoot = noClasses()
            .that().resideInAnyPackage(SHARED.stream().map(p -> ROOT + "." + p + "..").toArray(String[]::new))
            .should().dependOnClassesThat().resideInAnyPackage(featureAndRootPackages())
            .because("every feature builds on the shared packages (the window context, the training view model, "
                    + "the attention views); if they reached back into a feature or the frame, features would "
                    + "depend on each other through them");

    private static String[] featureAndRootPackages() {
        List<String> out = new ArrayList<>(List.of(ROOT));
        FEATURES.keySet().stream().sorted().forEach(f -> out.add(ROOT + "." + f + ".."));
        return out.toArray(String[]::new);
    }

    /** (c) of the root package only the composition root names the features */
    @ArchTest
    static final ArchRule onlyTheCompositionRootKnowsTheFeatures = noClasses()
            .that().resideInAPackage(ROOT).and().doNotHaveFullyQualifiedName(ROOT + ".AttnLabWindow")
            .should().dependOnClassesThat().resideInAnyPackage(FEATURES.keySet().stream().sorted()
                    .map(f -> ROOT + "." + f + "..").toArray(String[]::new))
            .because("one place lists the features in order (AttnLabWindow.features): the frame (MainView), its "
                    + "view model and the program (AttnLabApp, Main) stay the same when a feature comes or goes");

    /** (c) the views style themselves through style classes and the stylesheets */
    @ArchTest
    static final ArchRule viewsUseNoInlineStyles = noClasses()
            .that().resideInAPackage(ROOT + "..")
            .and().doNotHaveFullyQualifiedName(ROOT + ".classroom.ClassroomMode")
            .should().accessTargetWhere(target(name("setStyle").or(name("styleProperty")))
                    .and(target(owner(resideInAPackage("javafx..")))))
            .because("colours and styles live in the stylesheets of assets/themes (the projector theme and "
                    + "classroom mode restyle the window by switching them); classroom mode's font scale, a "
                    + "size computed from the screen, is the one inline style");

    /** (c) the command line needs no window */
    @ArchTest
    static final ArchRule theCommandLineRunsWithoutTheWindow = noClasses()
            .that().resideInAPackage(ROOT + ".cli..")
            .should().dependOnClassesThat(resideInAPackage("javafx..")
                    .or(resideInAPackage(ROOT + "..").and(not(resideInAPackage(ROOT + ".cli..")))))
            .because("attnlab train/eval/predict/dump run on machines without a display (CI, a server): the "
                    + "command line uses the engine, never JavaFX or the window's packages");

    /** (d) */
    @ArchTest
    static final ArchRule modulesDependOneWay = layeredArchitecture().consideringOnlyDependenciesInAnyPackage(
                    "org.attnlab..")
            .layer("engine").definedBy("org.attnlab.engine..")
            .layer("lessons").definedBy("org.attnlab.lessons..")
            .layer("app").definedBy("org.attnlab.app..")
            .whereLayer("engine").mayNotAccessAnyLayer()
            .whereLayer("lessons").mayOnlyAccessLayers("engine")
            .whereLayer("app").mayOnlyAccessLayers("engine", "lessons")
            .ensureAllClassesAreContainedInArchitecture()
            .because("the modules build on each other one way (engine <- lessons <- app): Maven forbids the other "
                    + "direction between modules, and this rule forbids it between their packages too (a class "
                    + "of the app module put in an engine package, a package that belongs to no module)");

    /** (d) the developer tools stay out of the product */
    @ArchTest
    static final ArchRule theProductDependsOnNoTool = noClasses()
            .that().resideInAnyPackage("org.attnlab.engine..", "org.attnlab.lessons..", "org.attnlab.app..")
            .should().dependOnClassesThat().resideInAnyPackage("org.attnlab.tools..", "org.openjdk.jmh..")
            .because("benchmarks and soak tools measure the product from the tools module; attnlab.jar ships "
                    + "without them");

    /** (e) */
    @ArchTest
    static final ArchRule theFastPathDependsOnlyOnModelAndHooks = classes()
            .that().resideInAPackage("org.attnlab.engine.compute..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("org.attnlab.engine.compute..",
                    "org.attnlab.engine.model..", "org.attnlab.engine.hooks..", "java..", "jdk.incubator.vector..",
                    "org.ejml..")
            .because("the precision seam: the float32 twin of the fast path is generated from this package "
                    + "alone by text substitution (double to float, DMatrixRMaj to FMatrixRMaj, as EJML generates "
                    + "its float classes), so it may know only the configuration, the parameters, the hooks, the "
                    + "JDK (with its Vector API) and EJML, and no attention type");

    /** (e) the engine's layers */
    @ArchTest
    static final ArchRule engineLayers = layeredArchitecture().consideringOnlyDependenciesInAnyPackage(
                    "org.attnlab..")
            .layer("hooks").definedBy("org.attnlab.engine.hooks..")
            .layer("model").definedBy("org.attnlab.engine.model..")
            .layer("optim").definedBy("org.attnlab.engine.optim..")
            .layer("compute").definedBy("org.attnlab.engine.compute..")
            .layer("attention").definedBy("org.attnlab.engine.attention..")
            .layer("transformer").definedBy("org.attnlab.engine.transformer..")
            .layer("tasks").definedBy("org.attnlab.engine.tasks..")
            .layer("inspect").definedBy("org.attnlab.engine.inspect..")
            .layer("intervene").definedBy("org.attnlab.engine.intervene..")
            .layer("io").definedBy("org.attnlab.engine.io..")
            .layer("train").definedBy("org.attnlab.engine.train..")
            .layer("users").definedBy(resideInAnyPackage("org.attnlab..").and(not(resideInAnyPackage(
                    "org.attnlab.engine.."))))
            .whereLayer("hooks").mayNotAccessAnyLayer()
            .whereLayer("model").mayOnlyAccessLayers("hooks")
            .whereLayer("optim").mayOnlyAccessLayers("model")
            .whereLayer("compute").mayOnlyAccessLayers("model", "hooks")
            .whereLayer("compute").mayOnlyBeAccessedByLayers("attention", "transformer")
            .whereLayer("attention").mayOnlyAccessLayers("compute", "model", "hooks")
            .whereLayer("transformer").mayOnlyAccessLayers("attention", "compute", "model", "hooks")
            .whereLayer("tasks").mayOnlyAccessLayers("transformer", "model", "hooks")
            .whereLayer("inspect").mayOnlyAccessLayers("attention", "transformer", "model", "hooks")
            .whereLayer("intervene").mayOnlyAccessLayers("tasks", "transformer", "model", "hooks")
            .whereLayer("io").mayOnlyAccessLayers("optim", "transformer", "model", "hooks")
            .whereLayer("train").mayOnlyAccessLayers("io", "optim", "tasks", "transformer", "model", "hooks")
            .ignoreDependency(DescribedPredicate.alwaysTrue(), JavaClass.Predicates.belongToAnyOf(Precision.class,
                    Simd.class))
            .because("the engine is built bottom up: hook points; the configuration, parameters and batch (with "
                    + "the attention types as they declare themselves, found through ServiceLoader); the fast "
                    + "path; the attention kernels; the transformer that assembles them; and what uses it "
                    + "(tasks, inspect, intervene, io, train, each using only the packages docs/architecture.md "
                    + "lists for it; then the lessons and the window). The fast path is "
                    + "internal: only the kernels and the transformer drive it; its public face is Precision (the "
                    + "dtype a run, a checkpoint or a dump chooses) and Simd (what the kernels use, and the "
                    + "launchers' relaunch with the Vector API)");
}
