package dev.idaas.spring.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a release publishes stays complete: the BOM manages every published module at the
 * reactor's version and imports nothing else, and the POMs carry the metadata Maven Central
 * requires.
 */
class PublishedPomTests {

	private static final Path ROOT = Path.of("..");

	@Test
	void bomWhenReadThenManagesEveryPublishedModuleAtTheReactorVersion() throws Exception {
		Element parent = read(ROOT.resolve("pom.xml"));
		Element bom = read(ROOT.resolve("idaas-dependencies/pom.xml"));
		assertThat(child(bom, "parent")).as("the BOM must not inherit the Spring Boot BOM").isNull();
		assertThat(text(bom, "version")).isEqualTo(text(parent, "version"));
		assertThat(text(bom, "groupId")).isEqualTo(text(parent, "groupId"));
		List<String> managed = new ArrayList<>();
		for (Element dependency : elements(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
			assertThat(text(dependency, "groupId")).isEqualTo("dev.idaas");
			assertThat(text(dependency, "version")).isEqualTo("${project.version}");
			assertThat(child(dependency, "scope")).as("the BOM imports nothing").isNull();
			managed.add(text(dependency, "artifactId"));
		}
		List<String> published = new ArrayList<>();
		for (Element module : elements(child(parent, "modules"), "module")) {
			Element pom = read(ROOT.resolve(module.getTextContent()).resolve("pom.xml"));
			if (!isPublished(pom) || "pom".equals(text(pom, "packaging"))) {
				continue;
			}
			published.add(text(pom, "artifactId"));
		}
		assertThat(published).contains("idaas-autoconfigure", "idaas-spring-boot-starter", "idaas-test",
				"idaas-simulator");
		assertThat(managed).containsExactlyInAnyOrderElementsOf(published);
	}

	@Test
	void pomsWhenPublishedThenCarryCentralMetadata() throws Exception {
		Element parent = read(ROOT.resolve("pom.xml"));
		Element bom = read(ROOT.resolve("idaas-dependencies/pom.xml"));
		for (Element pom : List.of(parent, bom)) {
			assertThat(text(pom, "url")).startsWith("https://");
			assertThat(text(child(child(pom, "licenses"), "license"), "name")).isNotBlank();
			assertThat(text(child(child(pom, "developers"), "developer"), "name")).isNotBlank();
			assertThat(text(child(pom, "scm"), "connection")).startsWith("scm:git:");
		}
		for (Element module : elements(child(parent, "modules"), "module")) {
			Element pom = read(ROOT.resolve(module.getTextContent()).resolve("pom.xml"));
			if (isPublished(pom)) {
				assertThat(text(pom, "name")).as(module.getTextContent() + " name").isNotBlank();
				assertThat(text(pom, "description")).as(module.getTextContent() + " description").isNotBlank();
			}
		}
	}

	private static boolean isPublished(Element pom) {
		Element properties = child(pom, "properties");
		return properties == null || !"true".equals(text(properties, "maven.deploy.skip"));
	}

	private static Element read(Path pom) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
		Document document = factory.newDocumentBuilder().parse(Files.newInputStream(pom));
		return document.getDocumentElement();
	}

	private static Element child(Element parent, String name) {
		if (parent == null) {
			return null;
		}
		NodeList children = parent.getChildNodes();
		for (int i = 0; i < children.getLength(); i++) {
			Node node = children.item(i);
			if (node instanceof Element element && element.getTagName().equals(name)) {
				return element;
			}
		}
		return null;
	}

	private static List<Element> elements(Element parent, String name) {
		List<Element> result = new ArrayList<>();
		NodeList children = parent.getChildNodes();
		for (int i = 0; i < children.getLength(); i++) {
			if (children.item(i) instanceof Element element && element.getTagName().equals(name)) {
				result.add(element);
			}
		}
		return result;
	}

	private static String text(Element parent, String name) {
		Element element = child(parent, name);
		return (element != null) ? element.getTextContent().strip() : null;
	}

}
