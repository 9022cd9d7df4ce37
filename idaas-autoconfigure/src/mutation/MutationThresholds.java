/*
 * Fails the mutation profile when the overall score or one area's is under the threshold, or when a
 * named security guard has a surviving mutant. Run by the "mutation" profile after PIT
 * (java's single-file launch, no build of its own):
 *
 *   java MutationThresholds.java <mutations.xml> <threshold %> <area>=<class prefix>,... ... guard=<Class#method>,...
 *       equivalent=<Class#method@Mutator>,...
 *
 * An "equivalent" entry names the mutants of one mutator in one method that PIT cannot leave out
 * by itself (its exclusions work on whole methods or calls): they are counted neither killed nor
 * survived, and the pom gives each a reason. An equivalent or guard entry that matches no mutant
 * fails the check, so a renamed method cannot drop out of it unnoticed.
 */

import java.io.File;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class MutationThresholds {

	public static void main(String[] args) throws Exception {
		if (args.length < 3) {
			System.err.println("usage: MutationThresholds <mutations.xml> <threshold %> <area>=<prefix>,... [guard=<Class#method>,...]");
			System.exit(2);
		}
		File report = new File(args[0]);
		int threshold = Integer.parseInt(args[1]);
		Map<String, List<String>> areas = new LinkedHashMap<>();
		List<String> guards = new ArrayList<>();
		List<String> equivalents = new ArrayList<>();
		for (int i = 2; i < args.length; i++) {
			int eq = args[i].indexOf('=');
			String name = args[i].substring(0, eq).trim();
			List<String> values = new ArrayList<>();
			for (String value : args[i].substring(eq + 1).split(",")) {
				if (!value.isBlank()) {
					values.add(value.trim());
				}
			}
			if (name.equals("guard")) {
				guards.addAll(values);
			}
			else if (name.equals("equivalent")) {
				equivalents.addAll(values);
			}
			else {
				areas.put(name, values);
			}
		}
		NodeList mutations = DocumentBuilderFactory.newInstance()
			.newDocumentBuilder()
			.parse(report)
			.getElementsByTagName("mutation");
		Map<String, int[]> byArea = new LinkedHashMap<>();
		areas.keySet().forEach((area) -> byArea.put(area, new int[2]));
		Map<String, int[]> byClass = new TreeMap<>();
		List<String> failures = new ArrayList<>();
		int killed = 0;
		int skipped = 0;
		Set<String> matched = new HashSet<>();
		Set<String> guarded = new HashSet<>();
		for (int i = 0; i < mutations.getLength(); i++) {
			Element mutation = (Element) mutations.item(i);
			boolean detected = Boolean.parseBoolean(mutation.getAttribute("detected"));
			String mutatedClass = text(mutation, "mutatedClass");
			String method = text(mutation, "mutatedMethod");
			String outer = mutatedClass.contains("$") ? mutatedClass.substring(0, mutatedClass.indexOf('$'))
					: mutatedClass;
			String simpleName = outer.substring(outer.lastIndexOf('.') + 1);
			String mutator = text(mutation, "mutator");
			String id = simpleName + "#" + method + "@" + mutator.substring(mutator.lastIndexOf('.') + 1);
			if (equivalents.contains(id)) {
				matched.add(id);
				skipped++;
				continue;
			}
			String area = areaOf(areas, mutatedClass);
			if (area == null) {
				failures.add("mutated class in no area: " + mutatedClass);
				continue;
			}
			guarded.add(simpleName + "#" + method);
			count(byArea.get(area), detected);
			count(byClass.computeIfAbsent(outer, (key) -> new int[2]), detected);
			killed += detected ? 1 : 0;
			if (!detected && guards.contains(simpleName + "#" + method)) {
				failures.add("named guard " + simpleName + "#" + method + " has a " + mutation.getAttribute("status")
						+ " mutant, line " + text(mutation, "lineNumber") + " (" + id + "): "
						+ text(mutation, "description"));
			}
		}
		System.out.println("Mutation score per area (threshold " + threshold + " %):");
		for (Map.Entry<String, int[]> entry : byArea.entrySet()) {
			int[] counts = entry.getValue();
			System.out.println(row(entry.getKey(), counts));
			if (counts[1] == 0) {
				failures.add("area '" + entry.getKey() + "' has no mutants: is it still in targetClasses?");
			}
			else if (score(counts) < threshold) {
				failures.add("area '" + entry.getKey() + "' is at " + score(counts) + " % (" + counts[0] + " of "
						+ counts[1] + "), under " + threshold + " %");
			}
		}
		System.out.println("Per class:");
		byClass.forEach((name, counts) -> System.out.println(row(name.substring(name.lastIndexOf('.') + 1), counts)));
		int[] overall = { killed, mutations.getLength() - skipped };
		System.out.println("Left out as equivalent: " + skipped);
		for (String entry : equivalents) {
			if (!matched.contains(entry)) {
				failures.add("equivalent entry " + entry + " matches no mutant: update the list");
			}
		}
		for (String guard : guards) {
			if (!guarded.contains(guard)) {
				failures.add("guard " + guard + " matches no mutant: renamed or moved? update the list");
			}
		}
		System.out.println(row("overall", overall));
		if (overall[1] > 0 && score(overall) < threshold) {
			failures.add("overall score is " + score(overall) + " %, under " + threshold + " %");
		}
		if (!failures.isEmpty()) {
			failures.forEach((failure) -> System.err.println("MUTATION CHECK FAILED: " + failure));
			System.exit(1);
		}
	}

	private static String areaOf(Map<String, List<String>> areas, String mutatedClass) {
		for (Map.Entry<String, List<String>> entry : areas.entrySet()) {
			for (String prefix : entry.getValue()) {
				if (mutatedClass.startsWith(prefix)) {
					return entry.getKey();
				}
			}
		}
		return null;
	}

	private static void count(int[] counts, boolean detected) {
		counts[0] += detected ? 1 : 0;
		counts[1]++;
	}

	private static int score(int[] counts) {
		// rounded down: 89.9 % is under 90 %
		return (counts[1] == 0) ? 100 : (int) (100L * counts[0] / counts[1]);
	}

	private static String row(String name, int[] counts) {
		return String.format("  %-48s %4d / %4d  %3d %%", name, counts[0], counts[1], score(counts));
	}

	private static String text(Element mutation, String tag) {
		NodeList nodes = mutation.getElementsByTagName(tag);
		return (nodes.getLength() > 0) ? nodes.item(0).getTextContent() : "";
	}

}
