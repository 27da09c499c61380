package dev.edgeai.engine.hub;

import static org.junit.jupiter.api.Assertions.*;

import dev.edgeai.chat.ChatException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offline with the default pair missing: one line, then every file, URL and command that gets the user going. */
class ModelsUnavailableTest {
    @TempDir
    Path tmp;

    ModelStore store() {
        return new ModelStore(
                tmp.resolve("cache"), null, new HubDownloader(URI.create("https://huggingface.co"), null, false, ""));
    }

    @Test
    void namesBothModelsTheirFilesFoldersAndTheNextCommands() {
        ChatException cause = new ChatException(
                ChatException.Kind.UNREACHABLE,
                "cannot reach https://huggingface.co/api/models/x (ConnectException). If you are offline, ...");
        ModelsUnavailable u = store().unavailable(
                        List.of(ModelStore.DEFAULT_SLM_REPO, ModelStore.DEFAULT_LLM_REPO),
                        List.of("--model-slm", "--model-llm"),
                        cause);
        assertEquals(ChatException.Kind.UNREACHABLE, u.kind());
        assertFalse(u.getMessage().contains("\n"));
        assertTrue(
                u.getMessage().contains(ModelStore.DEFAULT_SLM_REPO + " and " + ModelStore.DEFAULT_LLM_REPO),
                u.getMessage());
        assertFalse(u.getMessage().contains("If you are offline"), "the hand-placing hint moves to the guide");
        String guide = String.join("\n", u.guide("model_compare", true));
        for (String repo : List.of(ModelStore.DEFAULT_SLM_REPO, ModelStore.DEFAULT_LLM_REPO)) {
            assertTrue(guide.contains("https://huggingface.co/" + repo + "/resolve/main/onnx/model_q4.onnx"), guide);
            assertTrue(guide.contains("https://huggingface.co/" + repo + "/resolve/main/tokenizer.json"), guide);
            assertTrue(guide.contains(tmp.resolve("cache").resolve(repo) + "/"), guide);
        }
        assertTrue(guide.contains("./jbang scripts/models.java import /media/usb/Qwen2.5-0.5B-Instruct"), guide);
        assertTrue(guide.contains("./jbang scripts/fake_server.java --port 8099"), guide);
        assertTrue(guide.contains("./jbang scripts/model_compare.java --endpoint http://127.0.0.1:8099/v1"), guide);
    }

    @Test
    void aModelAlreadyHereIsNotListedAndTheTinyCommandFitsTheScript() throws Exception {
        Files.createDirectories(tmp.resolve("cache").resolve(ModelStore.DEFAULT_SLM_REPO));
        ChatException cause = new ChatException(ChatException.Kind.UNREACHABLE, "cannot reach x");
        ModelsUnavailable u = store().unavailable(
                        List.of(ModelStore.DEFAULT_SLM_REPO, ModelStore.DEFAULT_LLM_REPO), List.of(), cause);
        assertEquals(
                List.of(ModelStore.DEFAULT_LLM_REPO),
                u.missing().stream().map(ModelsUnavailable.Missing::repo).toList());
        List<String> guide = u.guide("serve", false);
        assertFalse(String.join("\n", guide).contains(ModelStore.DEFAULT_SLM_REPO + " ("), guide::toString);
        // serve.java takes no --endpoint: the scripted-server example uses model_compare
        assertTrue(
                guide.contains("  ./jbang scripts/model_compare.java --endpoint http://127.0.0.1:8099/v1"),
                guide::toString);
    }

    @Test
    void tinyModelsStandInWithTheScriptsOwnOptions() {
        ChatException cause = new ChatException(ChatException.Kind.UNREACHABLE, "cannot reach x");
        var specs = List.of(ModelStore.DEFAULT_SLM_REPO, ModelStore.DEFAULT_LLM_REPO);
        assertEquals(
                "--model-slm testdata/models/tiny-random-qwen2.5-instruct-q4"
                        + " --model-llm testdata/models/tiny-random-phi-4-mini-instruct-generic-cpu",
                store().unavailable(specs, List.of("--model-slm", "--model-llm"), cause)
                        .tinyArgsFrom(Path.of("..")));
        assertEquals(
                "--model testdata/models/tiny-random-qwen2.5-instruct-q4"
                        + " --model testdata/models/tiny-random-phi-4-mini-instruct-generic-cpu",
                store().unavailable(specs, List.of(), cause).tinyArgsFrom(Path.of("..")));
        assertEquals(
                "--embedded --models testdata/models/tiny-random-qwen2.5-instruct-q4,"
                        + "testdata/models/tiny-random-phi-4-mini-instruct-generic-cpu",
                store().unavailable(specs, List.of("--embedded --models", "--embedded --models"), cause)
                        .tinyArgsFrom(Path.of("..")));
        assertNull(store().unavailable(specs, List.of(), cause).tinyArgsFrom(tmp), "not the kit's checkout");
    }
}
