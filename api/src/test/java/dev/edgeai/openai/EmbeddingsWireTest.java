package dev.edgeai.openai;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code POST /v1/embeddings}: bodies → {@link EmbeddingRequest}, vectors → the JSON answer, base64 both ways. */
class EmbeddingsWireTest {
    static EmbeddingRequest read(String json) throws Exception {
        return EmbeddingRequest.parse(Wire.JSON.readTree(json));
    }

    static Stream<Arguments> readable() {
        return Stream.of(
                Arguments.of(
                        "{\"model\":\"e\",\"input\":\"hi\"}",
                        new EmbeddingRequest("e", List.of("hi"), null, null, null)),
                Arguments.of(
                        "{\"model\":\" e \",\"input\":[\"a\",\"b c\"],\"encoding_format\":\"base64\",\"user\":\"u\"}",
                        new EmbeddingRequest("e", List.of("a", "b c"), "base64", null, "u")),
                Arguments.of(
                        "{\"model\":\"e\",\"input\":[\"a\"],\"encoding_format\":\"float\",\"dimensions\":384,\"x\":1}",
                        new EmbeddingRequest("e", List.of("a"), "float", 384, null)),
                Arguments.of(
                        "{\"model\":\"e\",\"input\":\"a\",\"encoding_format\":null}",
                        new EmbeddingRequest("e", List.of("a"), null, null, null)));
    }

    @ParameterizedTest
    @MethodSource("readable")
    void readsWhatClientsSend(String json, EmbeddingRequest expected) throws Exception {
        assertEquals(expected, read(json));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"input\":\"a\"}|model|missing_required_parameter",
                "{\"model\":\"e\"}|input|missing_required_parameter",
                "{\"model\":\"e\",\"input\":5}|input|invalid_type",
                "{\"model\":\"e\",\"input\":[]}|input|empty_array",
                "{\"model\":\"e\",\"input\":\"\"}|input|invalid_value",
                "{\"model\":\"e\",\"input\":[\"a\",\"\"]}|input[1]|invalid_value",
                "{\"model\":\"e\",\"input\":[\"a\",true]}|input[1]|invalid_type",
                "{\"model\":\"e\",\"input\":[1,2,3]}|input[0]|unsupported_value",
                "{\"model\":\"e\",\"input\":[[1,2]]}|input[0]|unsupported_value",
                "{\"model\":\"e\",\"input\":\"a\",\"encoding_format\":\"int8\"}|encoding_format|invalid_value",
                "{\"model\":\"e\",\"input\":\"a\",\"encoding_format\":1}|encoding_format|invalid_type",
                "{\"model\":\"e\",\"input\":\"a\",\"dimensions\":1.5}|dimensions|invalid_type",
            })
    void refusesWhatItCannotEmbed(String json, String param, String code) {
        InvalidRequest e = assertThrows(InvalidRequest.class, () -> read(json));
        assertEquals(param, e.param(), e.getMessage());
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("'" + param.replaceAll("\\[.*", "")), e.getMessage());
    }

    @Test
    void tooManyInputsAreRefusedBeforeAnyWork() {
        String body = "{\"model\":\"e\",\"input\":[" + "\"a\",".repeat(EmbeddingRequest.MAX_INPUTS) + "\"a\"]}";
        assertEquals(
                "array_above_max_length",
                assertThrows(InvalidRequest.class, () -> read(body)).code());
    }

    /** Listed with {"type":"embeddings"}; a client of this kit does not offer it for chat. */
    @Test
    void anEmbeddingModelIsListedButNotChattedWith() throws Exception {
        var list = ModelList.of(List.of(
                ModelList.Model.of("chat", 1, "edgeai"), ModelList.Model.embeddings("all-minilm-l6-v2", 1, "edgeai")));
        String json = Wire.toJson(list);
        assertTrue(
                json.endsWith("{\"id\":\"all-minilm-l6-v2\",\"object\":\"model\",\"created\":1,"
                        + "\"owned_by\":\"edgeai\",\"type\":\"embeddings\"}]}"),
                json);
        assertEquals(
                List.of(new dev.edgeai.chat.ModelInfo("chat", "edgeai")),
                Wire.fromModelList(Wire.JSON.readValue(json, ModelList.class)));
    }

    @Test
    void vectorsAsFloatsAsOpenAiWritesThem() {
        var list = EmbeddingList.of("e", List.of(new float[] {0.5f, -0.25f}, new float[] {1f, 0f}), false, 7);
        assertEquals(
                "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.5,-0.25]},"
                        + "{\"object\":\"embedding\",\"index\":1,\"embedding\":[1.0,0.0]}],\"model\":\"e\","
                        + "\"usage\":{\"prompt_tokens\":7,\"total_tokens\":7}}",
                Wire.toJson(list));
    }

    @Test
    void base64IsLittleEndianFloat32() {
        // 1.0f = 0x3F800000 → bytes 00 00 80 3F; -2.0f = 0xC0000000 → 00 00 00 C0
        assertEquals("AACAPwAAAMA=", EmbeddingList.toBase64(new float[] {1f, -2f}));
        var list = EmbeddingList.of("e", List.of(new float[] {1f, -2f}), true, 1);
        assertTrue(Wire.toJson(list).contains("\"embedding\":\"AACAPwAAAMA=\""), Wire.toJson(list));
    }

    @Test
    void everyFloatSurvivesBothEncodings() throws Exception {
        float[] v = new float[384];
        var rnd = new java.util.Random(7);
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian() / 20;
        v[0] = Float.MIN_VALUE;
        v[1] = -0f;
        for (boolean b64 : new boolean[] {false, true}) {
            String json = Wire.toJson(EmbeddingList.of("e", List.of(v), b64, 3));
            EmbeddingList back = Wire.JSON.readValue(json, EmbeddingList.class);
            assertArrayEquals(v, back.data().getFirst().embedding().floats(), "base64=" + b64);
            assertEquals(3, back.usage().promptTokens());
        }
        assertThrows(IllegalArgumentException.class, () -> EmbeddingList.fromBase64("AAAA AA"));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingList.fromBase64("AAA="));
    }
}
