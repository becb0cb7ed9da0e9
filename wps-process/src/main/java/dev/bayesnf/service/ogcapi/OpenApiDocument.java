package dev.bayesnf.service.ogcapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI 3.0 definition of the OGC API - Processes front end, built by hand: every path the
 * front end serves, with the operation ids the OGC test suite looks up ({@code getLandingPage},
 * {@code getConformanceClasses}, {@code getProcesses}, {@code getProcessDescription}, {@code
 * execute}, {@code getJobs}, {@code getStatus}, {@code dismiss}, {@code getResult}) and compact
 * schemas of the documents it returns. The schemas describe exactly what the front end writes, so
 * the tests validate real responses against them.
 *
 * <p>Stateless and thread-safe.
 */
final class OpenApiDocument {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String JSON = OgcApiProcesses.JSON_TYPE;

    private OpenApiDocument() {}

    /**
     * @param root the absolute URL the front end is mounted at (server URL)
     * @param resultExpiryHours how long results are kept, for the description
     */
    static ObjectNode build(String root, long resultExpiryHours) {
        ObjectNode doc = F.objectNode();
        doc.put("openapi", "3.0.3");
        ObjectNode info = doc.putObject("info");
        info.put("title", "BayesNF geospatial processing service: OGC API - Processes");
        info.put("version", "1.0.0");
        info.put("description", "OGC API - Processes - Part 1: Core 1.0 (OGC 18-062r2), JSON encoding. Bayesian"
                + " neural field fitting and prediction; results are kept " + resultExpiryHours + " hours.");
        doc.putArray("servers").addObject().put("url", root);
        ArrayNode tags = doc.putArray("tags");
        for (String t : new String[] {"Capabilities", "Processes", "Jobs"}) {
            tags.addObject().put("name", t);
        }

        ObjectNode paths = doc.putObject("paths");
        get(paths, "/", "getLandingPage", "Capabilities", "Landing page", ok("landingPage"));
        get(paths, "/conformance", "getConformanceClasses", "Capabilities", "Conformance classes implemented",
                ok("confClasses"));
        ObjectNode api = get(paths, "/api", "getAPI", "Capabilities", "This OpenAPI definition", null);
        api.putObject("responses").putObject("200").put("description", "The OpenAPI 3.0 definition")
                .putObject("content").putObject(OgcApiProcesses.OPENAPI_TYPE).putObject("schema").put("type", "object");
        ObjectNode pl = get(paths, "/processes", "getProcesses", "Processes", "The processes offered",
                ok("processList"));
        pl.putArray("parameters").add(ref("#/components/parameters/limit"));
        ObjectNode pd = get(paths, "/processes/{processID}", "getProcessDescription", "Processes",
                "Description of a process (OGC process description)", ok("process"));
        pd.putArray("parameters").add(ref("#/components/parameters/processID"));
        error(pd, "404");

        ObjectNode exec = paths.putObject("/processes/{processID}/execution").putObject("post");
        operation(exec, "execute", "Processes", "Execute a process; asynchronously with 'Prefer: respond-async'");
        ArrayNode ep = exec.putArray("parameters");
        ep.add(ref("#/components/parameters/processID"));
        ObjectNode prefer = ep.addObject();
        prefer.put("name", "Prefer").put("in", "header").put("required", false)
                .put("description", "'respond-async' for asynchronous execution");
        prefer.putObject("schema").put("type", "string");
        ObjectNode rb = exec.putObject("requestBody");
        rb.put("required", true);
        rb.putObject("content").putObject(JSON).set("schema", ref("#/components/schemas/execute"));
        ObjectNode er = exec.putObject("responses");
        ObjectNode r200 = er.putObject("200");
        r200.put("description", "Results of a synchronous execution: the results document (response=document), or"
                + " the bare output (response=raw, one output), or multipart/related (raw, several outputs)");
        ObjectNode c200 = r200.putObject("content");
        c200.putObject(JSON).set("schema", ref("#/components/schemas/results"));
        c200.putObject("text/plain").putObject("schema").put("type", "string");
        c200.putObject("multipart/related").putObject("schema").put("type", "string");
        c200.putObject("application/octet-stream").putObject("schema").put("type", "string").put("format", "binary");
        ObjectNode r201 = er.putObject("201");
        r201.put("description", "Job created (asynchronous execution, or a synchronous one that outlived the wait);"
                + " its status is at the Location header");
        r201.putObject("headers").putObject("Location").putObject("schema").put("type", "string");
        r201.putObject("content").putObject(JSON).set("schema", ref("#/components/schemas/statusInfo"));
        er.putObject("204").put("description", "response=raw and every output by reference: Link headers");
        for (String s : new String[] {"400", "404", "413", "500", "503"}) {
            error(exec, s);
        }

        ObjectNode jobs = get(paths, "/jobs", "getJobs", "Jobs", "Jobs, newest first", ok("jobList"));
        ArrayNode jp = jobs.putArray("parameters");
        jp.add(ref("#/components/parameters/limit"));
        query(jp, "processID", "Only jobs of these processes (comma-separated)");
        query(jp, "status", "Only jobs in these states (comma-separated)");
        query(jp, "type", "Only jobs of this type ('process')");
        query(jp, "datetime", "Only jobs created at this instant or in this interval (RFC 3339, '..' open)");
        query(jp, "minDuration", "Only jobs that ran at least this many seconds");
        query(jp, "maxDuration", "Only jobs that ran at most this many seconds");
        error(jobs, "400");

        ObjectNode job = paths.putObject("/jobs/{jobId}");
        job.putArray("parameters").add(ref("#/components/parameters/jobId"));
        ObjectNode status = job.putObject("get");
        operation(status, "getStatus", "Jobs", "Status of a job");
        status.set("responses", ok("statusInfo"));
        error(status, "404");
        ObjectNode dismiss = job.putObject("delete");
        operation(dismiss, "dismiss", "Jobs", "Dismiss a job: stop it, or delete its results");
        dismiss.set("responses", ok("statusInfo"));
        error(dismiss, "404");

        ObjectNode results = get(paths, "/jobs/{jobId}/results", "getResult", "Jobs",
                "Results of a finished job, in the form the execute request asked for", ok("results"));
        results.putArray("parameters").add(ref("#/components/parameters/jobId"));
        ObjectNode rc = (ObjectNode) results.path("responses").path("200").path("content");
        rc.putObject("text/plain").putObject("schema").put("type", "string");
        rc.putObject("multipart/related").putObject("schema").put("type", "string");
        rc.putObject("application/octet-stream").putObject("schema").put("type", "string").put("format", "binary");
        results.withObjectProperty("responses").putObject("204").put("description", "response=raw, outputs by reference: Link headers");
        for (String s : new String[] {"400", "404", "500"}) {
            error(results, s);
        }

        ObjectNode components = doc.putObject("components");
        parameters(components.putObject("parameters"));
        schemas(components.putObject("schemas"));
        ObjectNode exc = components.putObject("responses").putObject("Exception");
        exc.put("description", "An exception document (RFC 7807 style)");
        exc.putObject("content").putObject(JSON).set("schema", ref("#/components/schemas/exception"));
        return doc;
    }

    private static ObjectNode get(ObjectNode paths, String path, String id, String tag, String summary,
            ObjectNode responses) {
        ObjectNode op = paths.putObject(path).putObject("get");
        operation(op, id, tag, summary);
        if (responses != null) {
            op.set("responses", responses);
        }
        return op;
    }

    private static void operation(ObjectNode op, String id, String tag, String summary) {
        op.put("operationId", id);
        op.put("summary", summary);
        op.putArray("tags").add(tag);
    }

    private static ObjectNode ok(String schema) {
        ObjectNode r = F.objectNode();
        ObjectNode ok = r.putObject("200");
        ok.put("description", "Success");
        ok.putObject("content").putObject(JSON).set("schema", ref("#/components/schemas/" + schema));
        return r;
    }

    private static void error(ObjectNode op, String status) {
        op.withObjectProperty("responses").set(status, ref("#/components/responses/Exception"));
    }

    private static void query(ArrayNode params, String name, String description) {
        ObjectNode p = params.addObject();
        p.put("name", name).put("in", "query").put("required", false).put("description", description);
        p.putObject("schema").put("type", "string");
    }

    private static ObjectNode ref(String target) {
        return F.objectNode().put("$ref", target);
    }

    private static void parameters(ObjectNode p) {
        ObjectNode limit = p.putObject("limit");
        limit.put("name", "limit").put("in", "query").put("required", false).put("style", "form")
                .put("explode", false).put("description", "Largest number of items in the answer");
        limit.putObject("schema").put("type", "integer").put("minimum", 1)
                .put("maximum", OgcApiProcesses.MAX_LIMIT).put("default", OgcApiProcesses.DEFAULT_LIMIT);
        ObjectNode pid = p.putObject("processID");
        pid.put("name", "processID").put("in", "path").put("required", true)
                .put("description", "Process id, e.g. bayesnf:Fit (the colon may be percent-encoded)");
        pid.putObject("schema").put("type", "string");
        ObjectNode jid = p.putObject("jobId");
        jid.put("name", "jobId").put("in", "path").put("required", true).put("description", "Job id");
        jid.putObject("schema").put("type", "string");
    }

    private static void schemas(ObjectNode s) {
        ObjectNode link = object(s.putObject("link"), "href");
        props(link, "href", "rel", "type", "hreflang", "title");

        ObjectNode landing = object(s.putObject("landingPage"), "links");
        props(landing, "title", "description");
        links(landing);

        ObjectNode conf = object(s.putObject("confClasses"), "conformsTo");
        conf.withObjectProperty("properties").putObject("conformsTo").put("type", "array").putObject("items").put("type", "string");

        ObjectNode exc = object(s.putObject("exception"), "type");
        props(exc, "type", "title", "detail", "instance", "locator");
        ((ObjectNode) exc.get("properties")).putObject("status").put("type", "integer");
        exc.put("additionalProperties", true);

        ObjectNode summary = object(s.putObject("processSummary"), "id", "version");
        props(summary, "id", "title", "description", "version");
        ObjectNode sp = (ObjectNode) summary.get("properties");
        enumArray(sp.putObject("jobControlOptions"), "sync-execute", "async-execute", "dismiss");
        enumArray(sp.putObject("outputTransmission"), "value", "reference");
        links(summary);

        ObjectNode list = object(s.putObject("processList"), "processes", "links");
        list.withObjectProperty("properties").putObject("processes").put("type", "array")
                .set("items", ref("#/components/schemas/processSummary"));
        links(list);

        ObjectNode desc = object(s.putObject("descriptionType"), "schema");
        props(desc, "title", "description");
        desc.withObjectProperty("properties").putObject("schema").put("type", "object");
        ObjectNode input = s.putObject("inputDescription");
        ArrayNode inAll = input.putArray("allOf");
        inAll.add(ref("#/components/schemas/descriptionType"));
        ObjectNode occ = inAll.addObject();
        occ.put("type", "object");
        ObjectNode occp = occ.putObject("properties");
        occp.putObject("minOccurs").put("type", "integer").put("minimum", 0).put("default", 1);
        ArrayNode max = occp.putObject("maxOccurs").putArray("oneOf");
        max.addObject().put("type", "integer").put("minimum", 1);
        max.addObject().put("type", "string").putArray("enum").add("unbounded");
        s.putObject("outputDescription").putArray("allOf").add(ref("#/components/schemas/descriptionType"));

        ObjectNode process = s.putObject("process");
        ArrayNode pAll = process.putArray("allOf");
        pAll.add(ref("#/components/schemas/processSummary"));
        ObjectNode io = pAll.addObject();
        io.put("type", "object");
        io.putArray("required").add("inputs").add("outputs");
        ObjectNode iop = io.putObject("properties");
        iop.putObject("inputs").put("type", "object").set("additionalProperties",
                ref("#/components/schemas/inputDescription"));
        iop.putObject("outputs").put("type", "object").set("additionalProperties",
                ref("#/components/schemas/outputDescription"));

        ObjectNode execute = object(s.putObject("execute"));
        ObjectNode ex = (ObjectNode) execute.get("properties");
        ex.putObject("inputs").put("type", "object").put("description", "Values keyed by input id: a JSON value,"
                + " an array of them, {\"value\", \"mediaType\", \"encoding\"}, {\"href\", \"type\"} or"
                + " {\"bbox\", \"crs\"}").put("additionalProperties", true);
        ObjectNode outDef = ex.putObject("outputs").put("type", "object").putObject("additionalProperties");
        outDef.put("type", "object");
        ObjectNode odp = outDef.putObject("properties");
        odp.putObject("format").put("type", "object").putObject("properties").putObject("mediaType")
                .put("type", "string");
        odp.putObject("transmissionMode").put("type", "string").putArray("enum").add("value").add("reference");
        ex.putObject("response").put("type", "string").put("default", "raw").putArray("enum").add("raw")
                .add("document");

        ObjectNode st = object(s.putObject("statusInfo"), "jobID", "status", "type");
        props(st, "processID", "jobID", "message");
        ObjectNode stp = (ObjectNode) st.get("properties");
        stp.putObject("type").put("type", "string").putArray("enum").add("process");
        stp.putObject("status").put("type", "string").putArray("enum").add("accepted").add("running")
                .add("successful").add("failed").add("dismissed");
        for (String t : new String[] {"created", "started", "finished", "updated"}) {
            stp.putObject(t).put("type", "string").put("format", "date-time");
        }
        stp.putObject("progress").put("type", "integer").put("minimum", 0).put("maximum", 100);
        links(st);

        ObjectNode jl = object(s.putObject("jobList"), "jobs", "links");
        jl.withObjectProperty("properties").putObject("jobs").put("type", "array").set("items", ref("#/components/schemas/statusInfo"));
        links(jl);

        ObjectNode results = s.putObject("results");
        results.put("type", "object");
        ObjectNode one = results.putObject("additionalProperties");
        ArrayNode forms = one.putArray("oneOf");
        ObjectNode value = forms.addObject();
        value.put("type", "object");
        value.putArray("required").add("value");
        ObjectNode vp = value.putObject("properties");
        vp.putObject("value");
        vp.putObject("mediaType").put("type", "string");
        vp.putObject("encoding").put("type", "string");
        forms.add(ref("#/components/schemas/link"));
    }

    private static ObjectNode object(ObjectNode schema, String... required) {
        schema.put("type", "object");
        if (required.length > 0) {
            ArrayNode r = schema.putArray("required");
            for (String q : required) {
                r.add(q);
            }
        }
        schema.putObject("properties");
        return schema;
    }

    private static void props(ObjectNode schema, String... names) {
        ObjectNode p = schema.withObjectProperty("properties");
        for (String n : names) {
            p.putObject(n).put("type", "string");
        }
    }

    private static void links(ObjectNode schema) {
        schema.withObjectProperty("properties").putObject("links").put("type", "array").set("items", ref("#/components/schemas/link"));
    }

    private static void enumArray(ObjectNode prop, String... values) {
        prop.put("type", "array");
        ArrayNode e = prop.putObject("items").put("type", "string").putArray("enum");
        for (String v : values) {
            e.add(v);
        }
    }
}
