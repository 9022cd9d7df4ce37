package dev.idaas.spring.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's test-kit snippets are real, compiled and tested sources: each fenced block after
 * a {@code <!-- snippet: path -->} marker is that file without its {@code package} line,
 * whitespace aside. Editing one without the other fails here.
 */
class ReadmeSnippetTests {

	private static final Path ROOT = Path.of("..");

	private static final Pattern SNIPPET = Pattern
		.compile("<!-- snippet: (\\S+) -->\\s*\\n```java\\n(.*?)\\n```", Pattern.DOTALL);

	@Test
	void readmeWhenTestingSectionThenSnippetsAreTheCompiledSources() throws IOException {
		Map<String, String> snippets = snippets(Files.readString(ROOT.resolve("README.md")));
		assertThat(snippets).containsOnlyKeys("idaas-test/src/test/java/dev/idaas/spring/test/example/MyAppTests.java",
				"idaas-test/src/test/java/dev/idaas/spring/test/example/TestMyApp.java",
				"idaas-test/src/test/java/dev/idaas/spring/test/customchain/SecurityConfiguration.java");
		snippets.forEach((path, snippet) -> {
			String source = read(ROOT.resolve(path)).replaceFirst("(?m)^package [\\w.]+;\\s*$", "");
			assertThat(withoutWhitespace(snippet)).as("README snippet of %s", path).isEqualTo(withoutWhitespace(source));
		});
	}

	@Test
	void snippetsWhenSourceDiffersThenDetected() {
		String readme = """
				<!-- snippet: A.java -->
				```java
				class A { void a() { } }
				```
				""";
		String snippet = snippets(readme).get("A.java");
		assertThat(withoutWhitespace(snippet)).isEqualTo(withoutWhitespace("class A {\n\tvoid a() {\n\t}\n}\n"));
		assertThat(withoutWhitespace(snippet)).isNotEqualTo(withoutWhitespace("class A { void b() { } }"));
	}

	private static Map<String, String> snippets(String readme) {
		Map<String, String> snippets = new LinkedHashMap<>();
		Matcher matcher = SNIPPET.matcher(readme);
		while (matcher.find()) {
			assertThat(snippets.put(matcher.group(1), matcher.group(2))).as("second snippet of %s", matcher.group(1))
				.isNull();
		}
		return snippets;
	}

	private static String read(Path path) {
		try {
			return Files.readString(path);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + path, ex);
		}
	}

	private static String withoutWhitespace(String text) {
		return text.replaceAll("\\s+", "");
	}

}
