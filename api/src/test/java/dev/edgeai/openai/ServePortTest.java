package dev.edgeai.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServePortTest {
    /** serve.java's port and discovery's from the same variable; -1: serve refuses, 0 in discovery: not probed. */
    @ParameterizedTest
    @CsvSource(
            nullValues = "-",
            value = {"-, 5273, 5273", "'', 5273, 5273", "' 8080 ', 8080, 8080", "0, 0, 0", "off, -1, 0", "No, -1, 0"})
    void oneVariableForServerAndDiscovery(String value, int server, int discovery) {
        Map<String, String> env = value == null ? Map.of() : Map.of(ServePort.ENV, value);
        if (server < 0) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServePort.forServer(env));
            assertTrue(e.getMessage().contains("EDGEAI_SERVE_PORT=" + value.strip())
                    && e.getMessage().contains("--port"));
        } else {
            assertEquals(server, ServePort.forServer(env));
        }
        assertEquals(discovery == 0 ? OptionalInt.empty() : OptionalInt.of(discovery), ServePort.forDiscovery(env));
    }

    @ParameterizedTest
    @CsvSource({"abc", "70000", "-1", "52 73"})
    void notAPortIsSaidSo(String value) {
        Map<String, String> env = Map.of(ServePort.ENV, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServePort.forServer(env));
        assertTrue(e.getMessage().contains("is not a port number"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServePort.forDiscovery(env));
    }
}
