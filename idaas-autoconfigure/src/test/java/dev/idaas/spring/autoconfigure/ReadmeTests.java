package dev.idaas.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's reference tables stay in sync with the code: every {@code idaas.*} property of
 * the generated metadata and every error code of the message bundles, with its English and
 * Chinese text.
 */
class ReadmeTests {

	private static final Path README = Path.of("..", "README.md");

	@Test
	void readmeWhenPropertiesTableThenListsEveryPropertyOfTheMetadata() throws IOException {
		String readme = Files.readString(README);
		List<String> missing = new ArrayList<>();
		JsonNode metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("configuration metadata").isNotNull();
			metadata = JsonMapper.builder().build().readTree(in);
		}
		for (JsonNode property : metadata.get("properties")) {
			String name = property.get("name").stringValue();
			if (!readme.contains("| `" + name + "` |")) {
				missing.add(name);
			}
		}
		assertThat(metadata.get("properties").size()).isGreaterThan(30);
		assertThat(missing).as("properties missing from the README table").isEmpty();
	}

	@Test
	void readmeWhenErrorCodeTableThenListsEveryCodeWithBothTexts() throws IOException {
		String readme = Files.readString(README);
		Properties english = bundle("messages.properties");
		Properties chinese = bundle("messages_zh.properties");
		List<String> missing = new ArrayList<>();
		for (String code : english.stringPropertyNames()) {
			if (!code.startsWith("IDAAS.")) {
				continue;
			}
			String row = "| `" + code + "` | " + english.getProperty(code) + " | " + chinese.getProperty(code) + " |";
			if (!readme.contains(row)) {
				missing.add(row);
			}
		}
		assertThat(english.stringPropertyNames()).hasSizeGreaterThan(15);
		assertThat(missing).as("error code rows missing from the README").isEmpty();
	}

	private static Properties bundle(String name) throws IOException {
		Properties properties = new Properties();
		try (InputStream in = ReadmeTests.class.getResourceAsStream("/dev/idaas/spring/client/" + name)) {
			assertThat(in).as(name).isNotNull();
			properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
		}
		return properties;
	}

}
