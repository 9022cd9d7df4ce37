package dev.idaas.spring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code java}, {@code properties} and {@code yaml} block of the README works as pasted:
 * each is preceded by a {@code <!-- snippet: path -->} marker naming a file of this repository
 * that the build compiles or a test loads, and is that file, so editing one without the other
 * fails here. A Java block is its compiled test source without the {@code package} line,
 * whitespace aside; a properties or YAML block is its resource, blank lines and indentation
 * at line ends aside, and some test names that resource. A block without a marker fails,
 * named by its line.
 */
class ReadmeSnippetTests {

	private static final Path ROOT = Path.of("..");

	/** The languages whose blocks must be real files. */
	private static final Set<String> CHECKED = Set.of("java", "properties", "yaml", "yml");

	private static final Pattern FENCE = Pattern.compile("^```(\\S*)\\s*$");

	private static final Pattern MARKER = Pattern.compile("^<!-- snippet: (\\S+) -->\\s*$");

	@Test
	void readmeWhenCodeBlocksThenEveryCheckedBlockIsAMarkedSnippet() throws IOException {
		List<Block> blocks = blocks(Files.readString(ROOT.resolve("README.md")));
		List<String> unmarked = blocks.stream()
			.filter((block) -> CHECKED.contains(block.language()) && block.path() == null)
			.map(Block::describe)
			.toList();
		assertThat(unmarked).as("README code blocks that no test checks (add a <!-- snippet: path --> marker)")
			.isEmpty();
		assertThat(blocks.stream().filter((block) -> block.path() != null)).as("marked README blocks")
			.hasSizeGreaterThanOrEqualTo(8);
	}

	@Test
	void readmeWhenSnippetsThenEachIsTheCompiledOrLoadedFile() throws IOException {
		List<Block> snippets = blocks(Files.readString(ROOT.resolve("README.md"))).stream()
			.filter((block) -> block.path() != null)
			.toList();
		String testSources = testSources();
		Map<String, Block> seen = new LinkedHashMap<>();
		for (Block snippet : snippets) {
			String path = snippet.path();
			assertThat(seen.put(path, snippet)).as("second snippet of %s", path).isNull();
			assertThat(CHECKED).as("language of %s", snippet.describe()).contains(snippet.language());
			Path file = ROOT.resolve(path);
			assertThat(file).as("file of %s", snippet.describe()).isRegularFile();
			String source = read(file);
			if (snippet.language().equals("java")) {
				assertThat(path).as("a compiled test source").contains("/src/test/java/").endsWith(".java");
				assertThat(withoutWhitespace(snippet.text())).as("README snippet of %s", path)
					.isEqualTo(withoutWhitespace(withoutPackage(source)));
			}
			else {
				assertThat(path).as("a resource").containsPattern("/src/(test|main)/resources/");
				assertThat(lines(snippet.text())).as("README snippet of %s", path).isEqualTo(lines(source));
				String name = file.getFileName().toString();
				assertThat(testSources).as("a test that loads %s", path).contains(name);
			}
		}
	}

	@Test
	void blocksWhenUnmarkedThenNamedByLine() {
		String readme = """
				# Title

				```bash
				./mvnw verify
				```

				<!-- snippet: a/src/test/resources/a.properties -->
				```properties
				a=1
				```

				```java
				class B { }
				```
				""";
		List<Block> blocks = blocks(readme);
		assertThat(blocks).extracting(Block::language).containsExactly("bash", "properties", "java");
		assertThat(blocks.get(1).path()).isEqualTo("a/src/test/resources/a.properties");
		assertThat(blocks.get(1).text()).isEqualTo("a=1");
		assertThat(blocks.get(2).path()).isNull();
		assertThat(blocks.get(2).describe()).isEqualTo("README.md line 12: ```java block starting 'class B { }'");
	}

	@Test
	void snippetsWhenSourceDiffersThenDetected() {
		String snippet = blocks("""
				<!-- snippet: A.java -->
				```java
				class A { void a() { } }
				```
				""").get(0).text();
		assertThat(withoutWhitespace(snippet)).isEqualTo(withoutWhitespace("class A {\n\tvoid a() {\n\t}\n}\n"));
		assertThat(withoutWhitespace(snippet)).isNotEqualTo(withoutWhitespace("class A { void b() { } }"));
		assertThat(withoutPackage("package a.b;\n\nclass A { }\n")).doesNotContain("package").contains("class A { }");
		assertThat(lines("a=1\n\n  b=2  \n")).containsExactly("a=1", "b=2");
		assertThat(lines("a=1\nb=2")).isNotEqualTo(lines("a=1\nb=3"));
	}

	/**
	 * The fenced blocks of a Markdown text, with the marker on the line before each (blank
	 * lines between allowed).
	 */
	static List<Block> blocks(String markdown) {
		List<Block> blocks = new ArrayList<>();
		String[] lines = markdown.split("\n", -1);
		String marker = null;
		for (int i = 0; i < lines.length; i++) {
			Matcher markerLine = MARKER.matcher(lines[i]);
			Matcher fence = FENCE.matcher(lines[i]);
			if (markerLine.matches()) {
				marker = markerLine.group(1);
			}
			else if (fence.matches()) {
				int start = i;
				StringBuilder text = new StringBuilder();
				for (i++; i < lines.length && !lines[i].startsWith("```"); i++) {
					text.append((text.length() > 0) ? "\n" : "").append(lines[i]);
				}
				blocks.add(new Block(fence.group(1), marker, text.toString(), start + 1));
				marker = null;
			}
			else if (!lines[i].isBlank()) {
				marker = null;
			}
		}
		return blocks;
	}

	private static String testSources() throws IOException {
		StringBuilder all = new StringBuilder();
		try (Stream<Path> files = Files.walk(ROOT)) {
			files.map((file) -> file.toString().replace('\\', '/'))
				.filter((file) -> file.contains("/src/test/java/") && !file.contains("/target/"))
				.filter((file) -> file.endsWith(".java") && !file.endsWith("/ReadmeSnippetTests.java"))
				.forEach((file) -> all.append(read(Path.of(file))).append('\n'));
		}
		return all.toString();
	}

	private static String read(Path path) {
		try {
			return Files.readString(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + path, ex);
		}
	}

	private static String withoutPackage(String source) {
		return source.replaceFirst("(?m)^package [\\w.]+;\\s*$", "");
	}

	private static String withoutWhitespace(String text) {
		return text.replaceAll("\\s+", "");
	}

	private static List<String> lines(String text) {
		return text.lines().map(String::strip).filter((line) -> !line.isEmpty()).toList();
	}

	/**
	 * A fenced block: its language, the path its marker names (or {@code null}), its text and
	 * the line of its opening fence.
	 */
	record Block(String language, String path, String text, int line) {

		String describe() {
			String first = this.text.lines().findFirst().orElse("").strip();
			return "README.md line " + this.line + ": ```" + this.language + " block starting '" + first + "'";
		}

	}

}
