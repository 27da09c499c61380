package dev.edgeai.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BaseUrlTest {

    @ParameterizedTest
    @CsvSource({
        "http://127.0.0.1:5273,            http://127.0.0.1:5273/v1",
        "http://127.0.0.1:5273/,           http://127.0.0.1:5273/v1",
        "http://localhost:11434/v1,        http://localhost:11434/v1",
        "http://localhost:11434/v1//,      http://localhost:11434/v1",
        "localhost:8000,                   http://localhost:8000/v1",
        "https://api.example.com/v1/chat/completions, https://api.example.com/v1",
        "http://h:1/v1/models,             http://h:1/v1",
    })
    void normalises_to_a_base_ending_in_v1(String given, String expected) {
        assertEquals(expected, EndpointUrl.normalise(given));
    }

    @ParameterizedTest
    @CsvSource({"1, 1000", "2.5, 2500", "45, 45000", "0, -1", "3600, -1", "'Wed, 21 Oct 2015 07:28:00 GMT', -1"})
    void reads_retry_after_as_seconds_or_date_within_sixty_seconds_as_the_sdks_do(String header, long expectedMs) {
        // -1: not within (0, 60 s], so the client backs off on its own schedule instead
        assertEquals(expectedMs < 0 ? null : Duration.ofMillis(expectedMs), OpenAiClient.retryAfter(header));
    }
}
