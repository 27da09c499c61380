package dev.edgeai.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.edgeai.chat.ChatException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Foundry Local model folder (publisher/model level) is given where the scripts expect a model folder. */
class ModelFolderBuildTest {
    static final Path PHI = Path.of("../testdata/models/tiny-random-phi-4-mini-instruct-generic-cpu");

    @Test
    void theOnlyBuildIsTakenAndSaidSo() {
        ModelFolder.Build b = ModelFolder.pickBuild(PHI);
        assertEquals(PHI.resolve("cpu-int4-rtn-block-32-acc-level-4"), b.folder());
        assertTrue(b.note().contains("using its build cpu-int4-rtn-block-32-acc-level-4"), b.note());
        assertNull(ModelFolder.pickBuild(b.folder()).note(), "a model folder given directly needs no note");
    }

    @Test
    void theCpuBuildWinsAndTheOthersAreNamed(@TempDir Path tmp) throws Exception {
        for (String b :
                new String[] {"cuda/cuda-fp16", "cpu_and_mobile/cpu-fp32", "cpu_and_mobile/cpu-int4-rtn-block-32"}) {
            Files.createDirectories(tmp.resolve(b));
            Files.writeString(tmp.resolve(b).resolve("genai_config.json"), "{}");
        }
        ModelFolder.Build b = ModelFolder.pickBuild(tmp);
        assertEquals(tmp.resolve("cpu_and_mobile/cpu-int4-rtn-block-32"), b.folder());
        assertTrue(b.note().contains("cuda/cuda-fp16/") && b.note().contains("cpu_and_mobile/cpu-fp32/"), b.note());
    }

    @Test
    void noCpuBuildOrNoModelIsAnErrorListingWhatIsThere(@TempDir Path tmp) throws Exception {
        for (String b : new String[] {"cuda-fp16", "directml-int4"}) {
            Files.createDirectories(tmp.resolve(b));
            Files.writeString(tmp.resolve(b).resolve("model.onnx"), "x");
        }
        ChatException e = assertThrows(ChatException.class, () -> ModelFolder.pickBuild(tmp));
        assertTrue(
                e.getMessage().contains("cuda-fp16/, directml-int4/")
                        && e.getMessage().contains("none is for the CPU"),
                e.getMessage());
        e = assertThrows(ChatException.class, () -> ModelFolder.findModelFile(tmp));
        assertTrue(e.getMessage().contains("it holds the model builds cuda-fp16/, directml-int4/"), e.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("x/notes"));
        e = assertThrows(ChatException.class, () -> ModelFolder.pickBuild(empty.getParent()));
        assertTrue(e.getMessage().contains("its subfolders: notes/"), e.getMessage());
    }
}
