package org.attnlab.engine.compute;

/**
 * Whether the engine's matrix kernels use the JDK's Vector API ({@link SimdMatMul}): when the
 * incubator module {@code jdk.incubator.vector} is in the boot layer (the program starts itself
 * with {@code --add-modules jdk.incubator.vector}; see the app's {@code Main}), the machine's
 * preferred vectors hold at least 4 lanes, and the system property {@value #PROPERTY} is not
 * {@code false}. Otherwise the scalar kernels of {@link MatMul} run (the JIT's auto-vectorized
 * loops), which compute the same sums in the same order.
 */
public final class Simd {
    /** System property: {@code -Dattnlab.simd=false} turns the Vector API kernels off. */
    public static final String PROPERTY = "attnlab.simd";
    /** The incubator module holding the Vector API. */
    public static final String MODULE = "jdk.incubator.vector";
    /** Whether the Vector API kernels run. */
    public static final boolean ENABLED = detect();
    /**
     * Whether float64 also runs the vectorized exp ({@link SimdMath}): no. On JDK 17's C2 its
     * vectors of 8 doubles stay boxed (about 190 bytes allocated per vector, measured), which
     * costs more than the scalar {@link FastExp} it would replace; the results are the same bits
     * either way. float32 ({@link F32SimdMath}) is compiled to registers and runs it.
     */
    static final boolean VECTOR_EXP_F64 = false;

    /** Below this many columns of C the scalar kernels run (a vector would be mostly tail). */
    static final int MIN_COLUMNS = 8;

    private Simd() {
    }

    private static boolean detect() {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"))) {
            return false;
        }
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return false;
        }
        try {
            return SimdMatMul.S.length() >= 4 && F32SimdMatMul.S.length() >= 4;
        } catch (Throwable e) {                        // LinkageError: the module is not readable after all
            return false;
        }
    }

    /** @return a one-line description for logs and {@code bench}: which kernels run and their lanes */
    public static String describe() {
        if (!ENABLED) {
            return "scalar kernels (auto-vectorized; " + MODULE + " "
                    + (ModuleLayer.boot().findModule(MODULE).isEmpty() ? "not loaded" : "turned off") + ")";
        }
        return "Vector API kernels (" + F32SimdMatMul.S.length() + " float / " + SimdMatMul.S.length()
                + " double lanes)";
    }

    /** System property the relaunched JVM carries, so that it does not relaunch again. */
    public static final String RELAUNCHED_PROPERTY = "attnlab.relaunched";
    /** The warning Java 17 prints at the start of a JVM with an incubator module. */
    static final String INCUBATOR_WARNING = "WARNING: Using incubator modules: " + MODULE;

    /**
     * Makes {@code java -jar attnlab.jar ...} use the Vector API kernels: Java 17 loads an
     * incubator module only when the command line says {@code --add-modules}, and neither a jar's
     * manifest nor the program can add it afterwards. So when the module is missing from the boot
     * layer but present in the runtime, this starts the same program again in a child JVM with the
     * flag (the same java, JVM options, class path and arguments; stdin and stdout inherited;
     * stderr passed through without the incubator warning), waits for it, and returns its exit
     * code. The child sees {@value #RELAUNCHED_PROPERTY}{@code =true} and does not relaunch.
     *
     * @param main the class whose {@code main} to run in the child
     * @param args the program's arguments
     * @return the child's exit code, or -1 when nothing was relaunched (the module is already
     *     loaded, turned off with {@code -Dattnlab.simd=false}, not in this runtime, or the java
     *     command is unknown): then the caller runs on, with the scalar kernels if need be
     */
    public static int relaunchWithVectorApi(Class<?> main, String[] args) {
        if (ModuleLayer.boot().findModule(MODULE).isPresent() || Boolean.getBoolean(RELAUNCHED_PROPERTY)
                || "false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"))
                || java.lang.module.ModuleFinder.ofSystem().find(MODULE).isEmpty()) {
            return -1;
        }
        java.util.Optional<String> javaCommand = ProcessHandle.current().info().command();
        String classPath = System.getProperty("java.class.path", "");
        if (javaCommand.isEmpty() || classPath.isEmpty()) {
            return -1;
        }
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(javaCommand.get());
        cmd.add("--add-modules");
        cmd.add(MODULE);
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-D" + RELAUNCHED_PROPERTY + "=true");
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(main.getName());
        cmd.addAll(java.util.List.of(args));
        Process child;
        try {
            child = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        Thread kill = new Thread(child::destroy, "attnlab-child-stop");
        Runtime.getRuntime().addShutdownHook(kill);
        Thread err = new Thread(() -> passStderr(child.getErrorStream()), "attnlab-child-stderr");
        err.setDaemon(true);
        err.start();
        try {
            int code = child.waitFor();
            err.join(2000);
            Runtime.getRuntime().removeShutdownHook(kill);
            return code;
        } catch (InterruptedException e) {
            child.destroy();
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /** Copies the child's stderr to ours, line by line, leaving out the incubator warning. */
    private static void passStderr(java.io.InputStream in) {
        try (java.io.BufferedReader r = new java.io.BufferedReader(
                new java.io.InputStreamReader(in, java.nio.charset.Charset.defaultCharset()))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.equals(INCUBATOR_WARNING)) {
                    System.err.println(line);
                }
            }
        } catch (java.io.IOException e) {
            // the child is gone
        }
    }
}
